package dev.shepherd.cli.live;

import dev.shepherd.cli.InputException;
import dev.shepherd.cli.dataset.Dataset;
import dev.shepherd.cli.dataset.Example;
import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.Judge;
import dev.shepherd.cli.eval.NotComputable;
import dev.shepherd.cli.eval.Prompts;
import dev.shepherd.cli.eval.StrategyResult;
import dev.shepherd.cli.progress.ProgressLine;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.ShepherdException;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.metrics.ScoreRecorder;
import dev.shepherd.core.metrics.StrategyScore;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ShepherdingPolicy;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Runs strategies live on a dataset through core's {@link Shepherd} (strict failure mode: a failed call fails that
 * query instead of silently falling back) and scores every answer with the {@link Judge}.
 *
 * <p>{@code slm-only} and {@code llm-only} are run once per query; {@code oracle-routing}, {@code random-routing}
 * and (with a predictor) {@code routing} are derived from those answers exactly, without further calls. Every other
 * strategy ({@link Policies#NAMES}) runs its core policy.
 *
 * <p>Everything that can be checked is checked before the first model call: the names, what they need (predictor,
 * labels), and every policy object and executor is built. A query that fails under a strategy (a model call or the
 * policy threw) counts as wrong for that strategy and is reported in its {@link StrategyResult#failures()} and note;
 * it never discards the other queries or strategies.
 *
 * <p>Not thread-safe: one evaluation at a time (it runs queries concurrently itself).
 */
public final class LiveEvaluator {

    private final Models models;
    private final Judge judge;
    private final int concurrency;
    private final PrintWriter progress;
    private final AtomicReference<String> stoppedBy = new AtomicReference<>();

    /**
     * Creates an evaluator.
     *
     * @param models the live models
     * @param judge the quality function
     * @param concurrency queries in flight, ≥ 1
     * @param progress where to report progress (stderr), or {@code null}
     */
    public LiveEvaluator(Models models, Judge judge, int concurrency, PrintWriter progress) {
        this.models = Objects.requireNonNull(models, "models");
        this.judge = Objects.requireNonNull(judge, "judge");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1 but was " + concurrency);
        }
        this.concurrency = concurrency;
        this.progress = progress;
    }

    /**
     * Evaluates without labels.
     *
     * @see #evaluate(Dataset, List, PolicyKnobs, PolicyPredictors, OracleLabels)
     */
    public EvalReport evaluate(Dataset data, List<String> strategies, PolicyKnobs options, HintPredictor predictor,
                               HintDecisionRule rule) {
        if (predictor != null && rule == null) {
            throw new IllegalArgumentException("a predictor needs its decision rule");
        }
        return evaluate(data, strategies, options, predictor == null ? null : PolicyPredictors.of(predictor, rule),
                null);
    }

    /**
     * Evaluates.
     *
     * @param data the dataset, at least one example
     * @param strategies names from {@link Policies#NAMES} to run besides the always-reported ones
     *                   ({@link Policies#ALWAYS}; naming those is allowed and changes nothing), or {@code null} for
     *                   {@link Policies#defaults}
     * @param options policy knobs
     * @param predictors the predictor of each predictor policy (routing, proactive and reactive shepherding), or
     *                   {@code null}
     * @param labels n* labels (from a label file) for oracle-shepherding, or {@code null}
     * @return the report
     * @throws InputException before any model call, for an unknown name, a name lacking its predictor or labels,
     *                        or a policy that cannot be built with the given predictor or knobs
     */
    public EvalReport evaluate(Dataset data, List<String> strategies, PolicyKnobs options, PolicyPredictors predictors,
                               OracleLabels labels) {
        Objects.requireNonNull(options, "options");
        List<Example> ex = data.examples();
        if (ex.isEmpty()) {
            throw new InputException(data.name(), 0, null, "the dataset holds no queries");
        }
        boolean hasPredictor = predictors != null;
        List<String> names = new ArrayList<>(new LinkedHashSet<>(strategies == null
                ? Policies.defaults(hasPredictor, labels != null) : strategies));
        Policies.check(names, hasPredictor, labels != null, "--strategies");

        // Everything below up to the first run(...) makes no model call.
        List<NotComputable> missing = new ArrayList<>();
        Map<String, PolicyPredictors.Selection> selected = new LinkedHashMap<>();
        if (hasPredictor) {
            for (String name : Policies.WITH_PREDICTOR) {
                boolean asked = names.contains(name);
                try {
                    PolicyPredictors.Selection sel = predictors.select(name);
                    String misfit = Policies.misfit(name, sel.predictor());
                    if (misfit != null) {
                        throw new InputException("--predictor", 0, null, misfit);
                    }
                    selected.put(name, sel);
                } catch (InputException e) {
                    // A strategy the user named fails now; a default or derived one is left out with the reason.
                    if (asked && strategies != null) {
                        throw e;
                    }
                    names.remove(name);
                    missing.add(new NotComputable(name, e.getMessage()));
                }
            }
        }
        double[] needProbability = null;
        double threshold = Double.NaN;
        PolicyPredictors.Selection routingSel = selected.get("routing");
        if (!hasPredictor) {
            missing.add(new NotComputable("routing", "needs --predictor BUNDLE"));
        } else if (routingSel != null) {
            threshold = routingSel.rule().alpha();
            List<HintPrediction> p = routingSel.predictor().predictAll(ex.stream().map(Example::query).toList(),
                    ex.stream().map(e -> Features.none()).toList());
            needProbability = p.stream().mapToDouble(HintPrediction::needProbability).toArray();
        }
        Map<String, Shepherd> run = new LinkedHashMap<>();
        Map<String, PolicyKnobs> usedKnobs = new LinkedHashMap<>();
        run.put("slm-only", shepherd(Policies.of("slm-only", null, null, options, null), ex.get(0)));
        run.put("llm-only", shepherd(Policies.of("llm-only", null, null, options, null), ex.get(0)));
        for (String name : names) {
            if (Policies.ALWAYS.contains(name) || name.equals("routing")) {
                continue;
            }
            if (name.equals("oracle-shepherding")) {
                List<String> unlabeled = ex.stream().map(Example::id).filter(id -> !labels.nStar().containsKey(id))
                        .toList();
                if (!unlabeled.isEmpty()) {
                    missing.add(new NotComputable(name, "--labels lacks n* for " + unlabeled.size() + " of " + ex.size()
                            + " queries (first: " + unlabeled.get(0) + ")"));
                    continue;
                }
            }
            PolicyPredictors.Selection sel = selected.get(name);
            PolicyKnobs knobs = sel != null && sel.agreement() != null && name.equals("reactive-shepherding")
                    ? options.withAgreement(sel.agreement()) : options;
            run.put(name, shepherd(Policies.of(name, sel, knobs, labels), ex.get(0)));
            usedKnobs.put(name, knobs);
        }
        if (!hasPredictor) {
            for (String name : List.of("proactive-shepherding", "reactive-shepherding")) {
                missing.add(new NotComputable(name, "needs --predictor BUNDLE"));
            }
        }
        if (labels == null) {
            missing.add(new NotComputable("oracle-shepherding", "needs --labels FILE (n* labels from shepherd label)"));
        }

        Outcome[] slm = run(data, "slm-only", run.get("slm-only"));
        Outcome[] llm = run(data, "llm-only", run.get("llm-only"));
        List<StrategyResult> results = new ArrayList<>();
        results.add(point("slm-only", slm, "SLM answers", ex));
        results.add(point("llm-only", llm, "LLM answers", ex));
        Outcome[] oracle = new Outcome[ex.size()];
        for (int i = 0; i < ex.size(); i++) {
            oracle[i] = !slm[i].correct && llm[i].correct ? llm[i] : slm[i];
        }
        results.add(point("oracle-routing", oracle, "the LLM's answer exactly where the SLM was wrong (or failed) and "
                + "the LLM right", ex));
        double share = 0.5;
        if (needProbability != null) {
            Outcome[] routed = new Outcome[ex.size()];
            for (int i = 0; i < ex.size(); i++) {
                routed[i] = needProbability[i] >= threshold ? llm[i] : slm[i];
            }
            StrategyResult r = point("routing", routed, "whole query to the LLM iff P(need) >= " + threshold
                    + " (derived from the slm-only and llm-only answers)", ex);
            results.add(r);
            share = r.largeCalls() / ex.size();
        }
        StrategyResult s = results.get(0);
        StrategyResult l = results.get(1);
        results.add(StrategyResult.point("random-routing", s.accuracy() + share * (l.accuracy() - s.accuracy()),
                s.costUsd() + share * (l.costUsd() - s.costUsd()), share * ex.size(), 0,
                String.format(Locale.ROOT, "expected value at LLM-call share %.2f", share)));
        for (Map.Entry<String, Shepherd> e : run.entrySet()) {
            String name = e.getKey();
            if (name.equals("slm-only") || name.equals("llm-only")) {
                continue;
            }
            results.add(point(name, run(data, name, e.getValue()), describe(name, usedKnobs.getOrDefault(name, options)), ex));
        }
        List<String> notes = new ArrayList<>();
        List<String> failed = results.stream().filter(r -> r.failures() > 0)
                .map(r -> r.name() + " (" + r.failures() + ")").toList();
        if (!failed.isEmpty()) {
            notes.add("queries failed under " + String.join(", ", failed) + ": a failed query counts as wrong and its "
                    + "cost is not included; each strategy's note names its first failure");
        }
        return new EvalReport(data.name(), ex.size(), "model-reported usage", models.small().name(),
                models.large().name(), models.setup().prices(), results, missing, notes);
    }

    /**
     * The worst-case cost of evaluating {@code strategies} on {@code examples}: per query and strategy the calls it may
     * make (a full answer: the prompt-token bound plus the output cap; a hint: its size; each SLM answer: the output
     * cap), at the configured prices. Derived strategies (oracle-routing, random-routing, routing) cost nothing more.
     * An estimate of the policies' extra prompt text; each call is still checked exactly before it is made.
     *
     * @param examples the queries
     * @param strategies the strategies that may run
     * @param o the knobs
     * @param setup prices and output caps
     * @return dollars
     */
    public static double worstCaseUsd(List<Example> examples, List<String> strategies, PolicyKnobs o,
                                      ModelSetup setup) {
        var l = setup.prices().prices(ModelRole.LARGE);
        var s = setup.prices().prices(ModelRole.SMALL);
        int capL = setup.maxOutputTokens(ModelRole.LARGE);
        int capS = setup.maxOutputTokens(ModelRole.SMALL);
        double total = 0;
        for (Example e : examples) {
            long in = Budget.inputTokenBound(Prompts.forKind(e.kind()).messages(e.query(), null)) + 64;
            double large = l.cost(in, capL);
            double small = s.cost(in, capS);
            double hinted = l.cost(in, capL) + s.cost(in + capL + 16, capS);
            for (String name : strategies) {
                total += switch (name) {
                    case "slm-only" -> small;
                    case "llm-only" -> large;
                    case "fixed-hint" -> l.cost(in, o.hintTokens()) + s.cost(in + o.hintTokens() + 16, capS);
                    case "agreement-cascade" -> o.samples() * small + large;
                    case "confidence-cascade" -> small + large;
                    case "slm-initiated-help" -> small + 2 * (l.cost(in + capS, 64) + s.cost(in + capS + 80, capS));
                    case "proactive-shepherding", "oracle-shepherding" -> Math.max(large, hinted);
                    case "reactive-shepherding" -> o.samples() * small + Math.max(large, hinted);
                    default -> 0; // derived from the slm-only and llm-only answers
                };
            }
        }
        return total;
    }

    private static String describe(String name, PolicyKnobs o) {
        return switch (name) {
            case "fixed-hint" -> "a " + o.hintTokens() + "-token LLM hint for every query";
            case "agreement-cascade" -> o.samples() + " SLM samples; the LLM unless " + o.agreement() + " agree";
            case "confidence-cascade" -> "the SLM states its confidence; the LLM below " + o.confidenceThreshold();
            case "slm-initiated-help" -> "the SLM may ask for LLM help ([HELP], up to 2 x 64 tokens)";
            case "proactive-shepherding" -> "the predictor on the query: SLM, hint or LLM";
            case "reactive-shepherding" -> o.samples() + " SLM samples; the predictor unless " + o.agreement()
                    + " agree";
            case "oracle-shepherding" -> "a hint of exactly n* tokens per query (from --labels)";
            default -> "core policy " + name;
        };
    }

    private Shepherd shepherd(ShepherdingPolicy policy, Example first) {
        return Shepherd.builder().small(models.small()).large(models.large()).policy(policy)
                .costModel(models.setup().prices()).template(Prompts.forKind(first.kind()))
                .extractor(extractor(first)).failureMode(FailureMode.STRICT)
                .largeMaxOutputTokens(models.setup().maxOutputTokens(ModelRole.LARGE)).build();
    }

    private Outcome[] run(Dataset data, String name, Shepherd shepherd) {
        List<Example> ex = data.examples();
        Outcome[] out = new Outcome[ex.size()];
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        DoubleAdder cost = new DoubleAdder();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "shepherd-eval");
            t.setDaemon(true);
            return t;
        });
        ProgressLine line = ProgressLine.start(progress, name, ex.size(), done::get, failed::get,
                () -> String.format(Locale.ROOT, "cost $%.4f", cost.sum()));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < ex.size(); i++) {
                int idx = i;
                futures.add(pool.submit(() -> {
                    Example e = ex.get(idx);
                    if (stoppedBy.get() != null) {
                        out[idx] = Outcome.failed(name, "not run: --max-cost reached");
                        return;
                    }
                    try {
                        ShepherdResult r = shepherd.answer(e.query());
                        boolean correct = judge.score(e, r.text()) >= 1.0;
                        ScoreRecorder one = ScoreRecorder.named(name);
                        one.record(r, correct);
                        out[idx] = new Outcome(correct, one.snapshot(), null);
                        cost.add(out[idx].score.costUsd());
                        done.incrementAndGet();
                    } catch (SpendLimitExceededException err) {
                        stoppedBy.compareAndSet(null, err.getMessage());
                        out[idx] = Outcome.failed(name, "not run: --max-cost reached");
                    } catch (RuntimeException err) {
                        out[idx] = Outcome.failed(name, e.source() + " (" + e.id() + "): " + message(err));
                        failed.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShepherdException("interrupted while evaluating " + name);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // an Error: the task catches every RuntimeException
        } finally {
            pool.shutdownNow();
            line.close();
        }
        if (stoppedBy.get() != null) {
            throw new ShepherdException(stoppedBy.get() + " (while evaluating " + name + "; " + done.get() + " of "
                    + ex.size() + " queries done): no table, the run is incomplete; rerun with a higher --max-cost "
                    + "or a smaller --limit");
        }
        if (progress != null) {
            progress.println(String.format(Locale.ROOT, "evaluated %s on %d queries (%d failed) in %.1f s", name,
                    ex.size(), failed.get(), line.elapsedSeconds()));
            progress.flush();
        }
        return out;
    }

    private static String message(Throwable t) {
        String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static AnswerExtractor extractor(Example e) {
        return Prompts.extractor(e.kind());
    }

    private static StrategyResult point(String name, Outcome[] outcomes, String note, List<Example> ex) {
        StrategyScore total = StrategyScore.empty(name);
        int failures = 0;
        String first = null;
        for (Outcome o : outcomes) {
            total = total.plus(new StrategyScore(name, o.score.queries(), o.score.correct(), o.score.costUsd(),
                    o.score.largeCalls(), o.score.hintTokens()));
            if (o.failure != null) {
                failures++;
                first = first == null ? o.failure : first;
            }
        }
        if (failures > 0) {
            note = note + String.format(Locale.ROOT, "; failed on %d of %d queries (counted as wrong, cost not "
                    + "included), first: %s", failures, ex.size(), first);
        }
        return StrategyResult.point(name, total.accuracy(), total.costUsd(), total.largeCalls(), total.hintTokens(), note,
                failures);
    }

    /**
     * One query's outcome under one strategy.
     *
     * @param failure {@code source:line (id): message} when the query failed, else {@code null}
     */
    private record Outcome(boolean correct, StrategyScore score, String failure) {

        static Outcome failed(String name, String failure) {
            return new Outcome(false, new StrategyScore(name, 1, 0, 0.0, 0, 0), failure);
        }
    }

    /**
     * Knobs of the optional policies.
     *
     * @param hintTokens hint size of fixed-hint
     * @param samples K (agreement-cascade, reactive-shepherding)
     * @param agreement k (agreement-cascade, reactive-shepherding)
     * @param confidenceThreshold confidence-cascade defers to the LLM below this stated confidence, in [0, 1]
     */
    public record PolicyKnobs(int hintTokens, int samples, int agreement, double confidenceThreshold) {

        /** confidence-cascade's default threshold. */
        public static final double DEFAULT_CONFIDENCE_THRESHOLD = 0.8;

        /** Knobs with the default confidence threshold. */
        public PolicyKnobs(int hintTokens, int samples, int agreement) {
            this(hintTokens, samples, agreement, DEFAULT_CONFIDENCE_THRESHOLD);
        }

        /** These knobs with another k, capped at K. */
        public PolicyKnobs withAgreement(int k) {
            return new PolicyKnobs(hintTokens, samples, Math.min(k, samples), confidenceThreshold);
        }
    }

    /**
     * What a label file tells the oracles.
     *
     * @param nStar        n* per query id
     * @param noHintPasses ids whose labelling found no passing hint level (the oracle buys the full answer)
     */
    public record OracleLabels(Map<String, Integer> nStar, Set<String> noHintPasses) {
        public OracleLabels {
            nStar = Map.copyOf(nStar);
            noHintPasses = Set.copyOf(noHintPasses);
        }
    }
}
