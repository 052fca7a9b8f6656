package dev.shepherd.onnx.baseline;

import dev.shepherd.onnx.QueryEncoder;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.EncodedText;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.onnx.training.EncodedExamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * RouteLLM's similarity-weighted ranking router (docs/method.md#other-schemes) over encoder embeddings of
 * labeled queries. For a query, every labeled example i gets weight {@code w_i = 10^(1 + cos_i / max_j cos_j)};
 * a weighted Bradley–Terry model of "large model wins" vs "small model wins" is fit on those weighted
 * outcomes, and {@code P(large) = 1 − 1/(1 + 10^((R_l − R_s)/400))}.
 *
 * <p>Faithful simplification: RouteLLM fits ratings for many models over arena battles; with our two
 * models, each labeled query is one battle (needs help → large wins, else small wins; a tie counts half
 * to each), and the weighted BT maximum-likelihood fit has the closed form
 * {@code P(large) = Σ w_i·win_i / Σ w_i} — what is computed here, exactly. Hint size is 0: this is a router.
 *
 * <p>Immutable and thread-safe; the encoder is not owned.
 */
public final class KnnRouter implements HintPredictor {

    private final QueryEncoder encoder;
    private final float[][] unit;
    private final double[] wins;

    private KnnRouter(QueryEncoder encoder, float[][] unit, double[] wins) {
        this.encoder = encoder;
        this.unit = unit;
        this.wins = wins;
    }

    /**
     * Fits on encoded examples: large-model wins are the examples that need a hint (n* &gt; 0).
     *
     * @throws DataFormatException for an empty set
     */
    public static KnnRouter fit(QueryEncoder encoder, EncodedExamples data) {
        Objects.requireNonNull(encoder, "encoder");
        double[] wins = new double[data.size()];
        for (int i = 0; i < wins.length; i++) {
            wins[i] = data.example(i).needsHint() ? 1 : 0;
        }
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            vectors.add(data.encoded(i).vector());
        }
        return fit(encoder, vectors, wins);
    }

    /**
     * Fits on raw vectors and outcomes: 1 = the large model wins, 0 = the small one, 0.5 = tie.
     *
     * @throws DataFormatException for an empty set or an outcome outside [0, 1]
     */
    public static KnnRouter fit(QueryEncoder encoder, List<float[]> vectors, double[] largeWins) {
        if (vectors.isEmpty()) {
            throw new DataFormatException("kNN router needs at least one labeled query but got none");
        }
        if (vectors.size() != largeWins.length) {
            throw new IllegalArgumentException("vectors and outcomes must have the same size but were "
                    + vectors.size() + " and " + largeWins.length);
        }
        float[][] unit = new float[vectors.size()][];
        for (int i = 0; i < unit.length; i++) {
            if (!(largeWins[i] >= 0 && largeWins[i] <= 1)) {
                throw new DataFormatException("outcome " + i + " must be in [0, 1] but was " + largeWins[i]);
            }
            unit[i] = normalise(vectors.get(i));
        }
        return new KnnRouter(encoder, unit, largeWins.clone());
    }

    private static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (n > 0 ? v[i] / n : 0);
        }
        return out;
    }

    /** P(large model wins) for an already encoded query vector. */
    public double probability(float[] vector) {
        float[] q = normalise(vector);
        double[] sims = new double[unit.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < unit.length; i++) {
            double s = 0;
            float[] u = unit[i];
            for (int d = 0; d < q.length; d++) {
                s += q[d] * u[d];
            }
            sims[i] = s;
            max = Math.max(max, s);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < sims.length; i++) {
            double w = max > 0 ? Math.pow(10, 1 + sims[i] / max) : 10;
            num += w * wins[i];
            den += w;
        }
        return Math.min(1, Math.max(0, num / den));
    }

    @Override
    public HintPrediction predict(Query query, Features features) {
        EncodedText e = encoder.encode(query.text());
        return new HintPrediction(probability(e.vector()), 0, e.truncated());
    }

    @Override
    public List<HintPrediction> predictAll(List<Query> queries, List<Features> features) {
        List<EncodedText> enc = encoder.encodeAll(queries.stream().map(Query::text).toList());
        return enc.stream().map(e -> new HintPrediction(probability(e.vector()), 0, e.truncated())).toList();
    }

    /** Number of labeled queries. */
    public int size() {
        return unit.length;
    }
}
