package dev.shepherd.onnx.internal;

import dev.shepherd.core.hint.Features;
import dev.shepherd.onnx.QueryFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns named features into the heads' input vector, in the bundle's order: the one place where training,
 * the Java forward pass and the ONNX path get their inputs. Stateless.
 */
public final class FeatureVector {

    private FeatureVector() {
    }


    /**
     * The input vector. {@link Features#QUERY_LENGTH} comes from the encoder and the {@link QueryFeatures}
     * from the query text, whatever the caller says; every other name must be supplied by the caller.
     *
     * @param queryText the query the encoder saw (the source of {@link QueryFeatures})
     * @throws IllegalArgumentException naming a missing, unexpected or non-finite caller-supplied feature
     */
    public static double[] assemble(List<String> names, Map<String, Double> supplied, int queryTokens,
                                    String queryText, String owner) {
        List<String> extra = new ArrayList<>();
        for (String name : supplied.keySet()) {
            if (!names.contains(name) && !QueryFeatures.isComputed(name)) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(owner + " was trained on features " + names
                    + " but was given unexpected feature(s) " + extra);
        }
        double[] x = new double[names.size()];
        Map<String, Double> computed = null;
        for (int i = 0; i < x.length; i++) {
            String name = names.get(i);
            if (name.equals(Features.QUERY_LENGTH)) {
                x[i] = queryTokens;
                continue;
            }
            if (QueryFeatures.isComputed(name)) {
                if (computed == null) {
                    computed = QueryFeatures.compute(queryText);
                }
                x[i] = computed.get(name);
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
