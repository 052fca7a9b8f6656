package dev.shepherd.onnx.internal;

import dev.shepherd.core.hint.Features;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns named features into the heads' input vector, in the bundle's order. Stateless. */
public final class FeatureVector {

    /** Features computed from the query itself, never supplied by the caller. */
    public static final java.util.Set<String> COMPUTED = java.util.Set.of(Features.QUERY_LENGTH);

    private FeatureVector() {
    }

    /** As {@link #assemble(List, Map, int, String)}, for a query whose text is at hand. */
    public static double[] assemble(List<String> names, Map<String, Double> supplied, String text, int queryTokens,
                                    String owner) {
        return assemble(names, supplied, queryTokens, owner);
    }

    /**
     * The input vector; {@link Features#QUERY_LENGTH} comes from the encoder, whatever the caller says.
     *
     * @throws IllegalArgumentException naming a missing, unexpected or non-finite feature
     */
    public static double[] assemble(List<String> names, Map<String, Double> supplied, int queryTokens, String owner) {
        List<String> extra = new ArrayList<>();
        for (String name : supplied.keySet()) {
            if (!names.contains(name) && !name.equals(Features.QUERY_LENGTH)) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(owner + " was trained on features " + names
                    + " but was given unexpected feature(s) " + extra);
        }
        double[] x = new double[names.size()];
        for (int i = 0; i < x.length; i++) {
            String name = names.get(i);
            if (name.equals(Features.QUERY_LENGTH)) {
                x[i] = queryTokens;
                continue;
            }
            Double v = supplied.get(name);
            if (v == null) {
                throw new IllegalArgumentException(owner + " needs feature '" + name + "' (trained on " + names
                        + ") but it was not supplied; supplied: " + supplied.keySet());
            }
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("feature '" + name + "' must be finite but was " + v);
            }
            x[i] = v;
        }
        return x;
    }
}
