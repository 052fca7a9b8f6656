package dev.shepherd.cli.label;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.cli.dataset.Example;
import dev.shepherd.cli.eval.Judge;
import dev.shepherd.cli.eval.Prompts;
import dev.shepherd.cli.live.Budget;
import dev.shepherd.cli.live.ModelSetup;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.hint.SampleFeatures;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.prompt.PromptTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Computes one label record (docs/labels.md, docs/method.md#labels): the LLM's full answer at T = 0, then for
 * p = 0, 10, …, 90 % a hint of {@code n_p = ⌊p/100 · |h_l|⌋} tokens (the LLM asked again with
 * {@code max_tokens = n_p}, T = 0) and the SLM's answer given it, each scored by φ; {@code n*} is the first passing
 * {@code n_p}, else {@code |h_l|}. After the levels, K samples of the bare query (no hint) at the paper's sampling
 * (T = 0.3, top_p 0.95, log-probabilities asked for) with reactive shepherding's features computed from them exactly
 * as at serving time ({@link SampleFeatures}).
 *
 * <p>Thread-safe when the generators are: records of different queries may be computed concurrently.
 */
public final class Labeler {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Generator small;
    private final Generator large;
    private final CostModel prices;
    private final Judge judge;
    private final LabelSettings settings;
    private final DoubleAdder costUsd = new DoubleAdder();
    private final LongAdder calls = new LongAdder();

    /**
     * Creates a labeler.
     *
     * @param small the SLM
     * @param large the LLM
     * @param prices token prices, for the running cost
     * @param judge the quality function
     * @param settings τ, levels, sampling
     */
    public Labeler(Generator small, Generator large, CostModel prices, Judge judge, LabelSettings settings) {
        this.small = Objects.requireNonNull(small, "small");
        this.large = Objects.requireNonNull(large, "large");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.judge = Objects.requireNonNull(judge, "judge");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Returns the dollars spent so far by all records. */
    public double costUsd() {
        return costUsd.sum();
    }

    /** Returns the model calls made so far. */
    public long calls() {
        return calls.sum();
    }

    /**
     * Labels one example.
     *
     * @param ex the example
     * @param dataset the dataset name written into the record
     * @return the record as one line of JSON
     * @throws ModelCallException when a model call fails (nothing is written for this query; a rerun retries it)
     */
    public String label(Example ex, String dataset) {
        PromptTemplate template = Prompts.forKind(ex.kind());
        Completion full = call(large, ModelRole.LARGE, GenerationRequest.builder()
                .messages(template.messages(ex.query(), null)).sampling(Sampling.GREEDY).build());
        double fullQuality = judge.score(ex, full.text());
        ObjectNode rec = MAPPER.createObjectNode();
        rec.put("id", ex.id());
        rec.put("dataset", dataset);
        rec.put("query", ex.query().text());
        rec.put("gold", ex.query().gold());
        rec.put("slm_model", small.name());
        rec.put("llm_model", large.name());
        rec.put("tau", settings.tau());
        rec.set("llm_full", call(full, fullQuality));
        ArrayNode levels = rec.putArray("levels");
        int total = full.outputTokens();
        int nStar = total;
        int nStarPercent = 100;
        ObjectNode levelZeroSmall = null;
        for (int percent : settings.percents()) {
            int n = (int) Math.floor(percent / 100.0 * total);
            ObjectNode level = levels.addObject();
            level.put("percent", percent);
            String hintText = "";
            long hintInput = 0;
            int hintTokens = 0;
            ObjectNode smallNode;
            if (n > 0) {
                Completion hint = call(large, ModelRole.LARGE, GenerationRequest.builder()
                        .messages(template.messages(ex.query(), null)).maxOutputTokens(n).sampling(Sampling.GREEDY).build());
                hintText = hint.text();
                hintInput = hint.inputTokens();
                hintTokens = Math.min(hint.outputTokens(), n);
                Completion slm = call(small, ModelRole.SMALL, GenerationRequest.builder()
                        .messages(template.messages(ex.query(), hintText)).sampling(settings.smallSampling()).build());
                smallNode = call(slm, judge.score(ex, slm.text()));
            } else if (levelZeroSmall != null) { // n_p = 0 again (a very short answer): the same call as level 0
                smallNode = levelZeroSmall.deepCopy();
            } else {
                Completion slm = call(small, ModelRole.SMALL, GenerationRequest.builder()
                        .messages(template.messages(ex.query(), null)).sampling(settings.smallSampling()).build());
                smallNode = call(slm, judge.score(ex, slm.text()));
                levelZeroSmall = smallNode;
            }
            level.put("hint_tokens", hintTokens);
            level.put("hint_text", hintText);
            level.put("hint_input_tokens", hintInput);
            level.set("slm", smallNode);
            if (smallNode.get("quality").asDouble() >= settings.tau() && nStarPercent == 100) {
                nStar = hintTokens;
                nStarPercent = percent;
                if (settings.stopAtFirstPass()) {
                    break;
                }
            }
        }
        samples(ex, template, rec);
        rec.put("all_levels", levels.size() == settings.percents().size());
        rec.put("n_star", nStar);
        rec.put("n_star_percent", nStarPercent);
        rec.put("keep", nStarPercent != 100 || fullQuality >= settings.tau());
        return rec.toString();
    }

    /**
     * Draws the K samples of the bare query (no hint) as reactive shepherding does at serving time, and writes
     * {@code samples}, {@code features} and {@code entropy} (features computed by core's {@link SampleFeatures}).
     */
    private void samples(Example ex, PromptTemplate template, ObjectNode rec) {
        ArrayNode out = rec.putArray("samples");
        ObjectNode featureNode = MAPPER.createObjectNode();
        int k = settings.samples();
        if (k == 0) {
            rec.set("features", featureNode);
            rec.putNull("entropy");
            return;
        }
        GenerationRequest request = GenerationRequest.builder().messages(template.messages(ex.query(), null))
                .sampling(settings.sampleSampling()).logprobs(true).build();
        AnswerExtractor extractor = Prompts.extractor(ex.kind());
        List<Completion> drawn = new ArrayList<>(k);
        List<Optional<String>> answers = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            Completion c = call(small, ModelRole.SMALL, request);
            Optional<String> answer = extractor.extract(c.text());
            drawn.add(c);
            answers.add(answer);
            ObjectNode o = out.addObject();
            o.put("text", c.text());
            o.put("answer", answer.orElse(null));
            o.put("input_tokens", c.inputTokens());
            o.put("output_tokens", c.outputTokens());
            OptionalDouble entropy = c.meanEntropy();
            if (entropy.isPresent()) {
                o.put("mean_entropy", entropy.getAsDouble());
            }
            o.put("quality", judge.score(ex, c.text()));
        }
        SampleFeatures.Result features = SampleFeatures.of(drawn, answers);
        features.features().asMap().forEach(featureNode::put);
        rec.set("features", featureNode);
        rec.put("entropy", features.source().label());
    }

    /**
     * The worst-case cost of labelling {@code examples}: per query the LLM's full answer (prompt-token bound plus the
     * output cap), every hint level's LLM call (its share of the cap) and SLM answer (the hint counted at its token
     * count), and the K samples, at the configured prices. Each call is still checked exactly before it is made.
     *
     * @param examples the queries still to label
     * @param settings levels and samples
     * @param setup prices and output caps
     * @return dollars
     */
    public static double worstCaseUsd(List<Example> examples, LabelSettings settings,
                                      ModelSetup setup) {
        var l = setup.prices().prices(ModelRole.LARGE);
        var s = setup.prices().prices(ModelRole.SMALL);
        int capL = setup.maxOutputTokens(ModelRole.LARGE);
        int capS = setup.maxOutputTokens(ModelRole.SMALL);
        double total = 0;
        for (Example ex : examples) {
            long in = Budget.inputTokenBound(Prompts.forKind(ex.kind()).messages(ex.query(), null));
            total += l.cost(in, capL);
            for (int percent : settings.percents()) {
                int n = (int) Math.floor(percent / 100.0 * capL);
                if (n > 0) {
                    total += l.cost(in, n);
                }
                total += s.cost(in + n + 16, capS);
            }
            total += settings.samples() * s.cost(in, capS);
        }
        return total;
    }

    private Completion call(Generator g, ModelRole role, GenerationRequest request) {
        Completion c = g.generate(request);
        if (c == null) {
            throw new ModelCallException(role, g.name(), "returned no completion");
        }
        calls.increment();
        costUsd.add(prices.cost(role, c.inputTokens(), c.outputTokens()));
        return c;
    }

    private static ObjectNode call(Completion c, double quality) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("text", c.text());
        o.put("input_tokens", c.inputTokens());
        o.put("output_tokens", c.outputTokens());
        o.put("finish_reason", c.finishReason().name());
        o.put("quality", quality);
        return o;
    }
}
