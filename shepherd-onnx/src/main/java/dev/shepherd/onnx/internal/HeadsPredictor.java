package dev.shepherd.onnx.internal;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.onnx.EncodedText;
import dev.shepherd.onnx.HeadOutput;
import dev.shepherd.onnx.QueryFeatures;
import dev.shepherd.onnx.QueryEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one path from queries to predictions that the served ({@code OnnxHintPredictor}) and the freshly trained
 * ({@code TrainedPredictor}) heads share: check the arguments, encode in chunks of {@value #CHUNK} (the encoder sorts
 * each chunk by length before batching, so a large chunk means little padding; the chunk bounds one call's memory),
 * assemble each
 * row's features in the heads' order ({@link FeatureVector}), run the heads, turn their outputs into predictions.
 * Only running the heads differs (ONNX Runtime or the Java forward pass), so that is the {@link Heads} given.
 * Thread-safe when the encoder and the heads are.
 */
public final class HeadsPredictor implements HintPredictor {

    /** Queries encoded (and sorted by length) together; bounds the memory of one call. */
    private static final int CHUNK = 1024;

    /**
     * Encodes one chunk of texts: {@link TextEncoder#encodeAll}, or token counts alone (zero vectors) for heads that
     * ignore the embedding, so the encoder's transformer never runs.
     */
    @FunctionalInterface
    public interface Encoding {

        /** One encoding per text, in order. */
        List<EncodedText> encodeAll(List<String> texts);
    }

    /** Runs the heads over one encoded batch. */
    public interface Heads {

        /**
         * The outputs of the heads, one per row.
         *
         * @param encoded  the rows' encodings
         * @param features the rows' feature vectors, in the heads' feature order
         */
        List<HeadOutput> run(List<EncodedText> encoded, double[][] features);

        /**
         * Called before each call encodes anything.
         *
         * @throws IllegalStateException when the heads can no longer run (closed)
         */
        default void ensureOpen() {
        }
    }

    private final String owner;
    private final Encoding encoder;
    private final List<String> featureNames;
    private final Heads heads;

    /**
     * @param owner        what to call these heads in messages (a bundle file, an encoder id)
     * @param encoder      the encoder the heads were trained over (not owned)
     * @param featureNames the heads' numeric inputs, in order
     * @param heads        how to run them
     */
    public HeadsPredictor(String owner, QueryEncoder encoder, List<String> featureNames, Heads heads) {
        this(owner, Objects.requireNonNull(encoder, "encoder")::encodeAll, featureNames, heads);
    }

    /**
     * @param owner        what to call these heads in messages (a bundle file, an encoder id)
     * @param encoder      how a chunk of queries is encoded
     * @param featureNames the heads' numeric inputs, in order
     * @param heads        how to run them
     */
    public HeadsPredictor(String owner, Encoding encoder, List<String> featureNames, Heads heads) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.featureNames = List.copyOf(featureNames);
        this.heads = Objects.requireNonNull(heads, "heads");
    }

    @Override
    public Set<String> requiredFeatures() {
        return QueryFeatures.callerSupplied(featureNames);
    }

    @Override
    public HintPrediction predict(Query query, Features features) {
        return predictAll(List.of(query), List.of(features)).get(0);
    }

    @Override
    public List<HintPrediction> predictAll(List<Query> queries, List<Features> features) {
        List<EncodedText> encoded = new ArrayList<>(queries.size());
        List<HeadOutput> outputs = headOutputs(queries, features, encoded);
        List<HintPrediction> out = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            HeadOutput h = outputs.get(i);
            // the encoding says whether the query was cut to the encoder's max length
            out.add(new HintPrediction(h.needProbability(), h.hintTokens(), encoded.get(i).truncated()));
        }
        return out;
    }

    /** The raw head outputs, one per query. */
    public List<HeadOutput> headOutputs(List<Query> queries, List<Features> features) {
        return headOutputs(queries, features, new ArrayList<>());
    }

    private List<HeadOutput> headOutputs(List<Query> queries, List<Features> features, List<EncodedText> encodedOut) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(features, "features");
        if (queries.size() != features.size()) {
            throw new IllegalArgumentException("queries and features must have the same size but were "
                    + queries.size() + " and " + features.size());
        }
        for (int i = 0; i < queries.size(); i++) {
            Objects.requireNonNull(queries.get(i), "queries[" + i + "]");
            Objects.requireNonNull(features.get(i), "features[" + i + "]");
        }
        heads.ensureOpen();
        List<HeadOutput> out = new ArrayList<>(queries.size());
        for (int from = 0; from < queries.size(); from += CHUNK) {
            int to = Math.min(from + CHUNK, queries.size());
            List<String> texts = queries.subList(from, to).stream().map(Query::text).toList();
            List<EncodedText> enc = encoder.encodeAll(texts);
            double[][] x = new double[texts.size()][];
            for (int r = 0; r < x.length; r++) {
                x[r] = FeatureVector.assemble(featureNames, features.get(from + r).asMap(), enc.get(r).tokens(),
                        texts.get(r), owner);
            }
            out.addAll(heads.run(enc, x));
            encodedOut.addAll(enc);
        }
        return out;
    }

    @Override
    public String toString() {
        return owner + ", features=" + featureNames;
    }
}
