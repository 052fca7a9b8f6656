package dev.shepherd.cli.live;

import dev.shepherd.cli.dataset.Dataset;
import dev.shepherd.cli.dataset.Example;
import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.Judge;
import dev.shepherd.cli.eval.NotComputable;
import dev.shepherd.cli.eval.Prompts;
import dev.shepherd.cli.eval.StrategyResult;
import dev.shepherd.core.FailureMode;
import dev.shepherd.core.Shepherd;
import dev.shepherd.core.ShepherdException;
import dev.shepherd.core.ShepherdResult;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.metrics.ScoreRecorder;
import dev.shepherd.core.metrics.StrategyScore;
import dev.shepherd.core.policy.ShepherdingPolicy;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs strategies live on a dataset through core's {@link Shepherd} (strict failure mode: a failed call fails the
 * evaluation instead of silently falling back) and scores every answer with the {@link Judge}.
 *
 * <p>{@code slm-only} and {@code llm-only} are run once per query; {@code oracle-routing}, {@code random-routing}
 * and (with a predictor) {@code routing} are derived from those answers exactly, without further calls.
 *
 * <p>Not thread-safe: one evaluation at a time (it runs queries concurrently itself).
 */
public final class LiveEvaluator {

    private final Models models;
    private final Judge judge;
    private final int concurrency;
    private final PrintWriter progress;

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
     * Evaluates.
     *
     * @param data the dataset
     * @param strategies the policies to run besides slm-only and llm-only (e.g. fixed-hint, agreement-cascade)
     * @param options policy knobs
     * @param predictor a predictor for routing and the shepherding policies, or {@code null}
     * @param rule its decision rule, or {@code null}
     * @return the report
     */
    public EvalReport evaluate(Dataset data, List<String> strategies, PolicyKnobs options, HintPredictor predictor,
                               HintDecisionRule rule) {
        List<Example> ex = data.examples();
        Outcome[] slm = run(data, "slm-only", Policies.of("slm-only", null, null, 1, 1, 1));
        Outcome[] llm = run(data, "llm-only", Policies.of("llm-only", null, null, 1, 1, 1));
        List<StrategyResult> results = new ArrayList<>();
        results.add(point("slm-only", slm, "SLM answers"));
        results.add(point("llm-only", llm, "LLM answers"));
        Outcome[] oracle = new Outcome[ex.size()];
        for (int i = 0; i < ex.size(); i++) {
            oracle[i] = !slm[i].correct && llm[i].correct ? llm[i] : slm[i];
        }
        results.add(point("oracle-routing", oracle, "the LLM's answer exactly where the SLM was wrong and the LLM right"));
        List<NotComputable> missing = new ArrayList<>();
        double share = 0.5;
        if (predictor != null && rule != null) {
            List<dev.shepherd.core.hint.HintPrediction> p = predictor.predictAll(ex.stream().map(Example::query).toList(),
                    ex.stream().map(e -> dev.shepherd.core.hint.Features.none()).toList());
            Outcome[] routed = new Outcome[ex.size()];
            for (int i = 0; i < ex.size(); i++) {
                routed[i] = p.get(i).needProbability() >= rule.alpha() ? llm[i] : slm[i];
            }
            StrategyResult r = point("routing", routed, "whole query to the LLM iff P(need) >= alpha = " + rule.alpha());
            results.add(r);
            share = r.llmCalls() / ex.size();
        } else {
            missing.add(new NotComputable("routing", "needs --predictor BUNDLE"));
        }
        StrategyResult s = results.get(0);
        StrategyResult l = results.get(1);
        results.add(StrategyResult.point("random-routing", s.accuracy() + share * (l.accuracy() - s.accuracy()),
                s.costUsd() + share * (l.costUsd() - s.costUsd()), share * ex.size(), 0,
                String.format(Locale.ROOT, "expected value at LLM-call share %.2f", share)));
        for (String name : strategies) {
            if (Policies.WITH_PREDICTOR.contains(name) && predictor == null) {
                missing.add(new NotComputable(name, "needs --predictor BUNDLE"));
                continue;
            }
            ShepherdingPolicy policy = Policies.of(name, predictor, rule, options.hintTokens(), options.samples(),
                    options.agreement());
            results.add(point(name, run(data, name, policy), describe(name, options)));
        }
        return new EvalReport(data.name(), ex.size(), "model-reported usage", models.small().name(),
                models.large().name(), models.setup().prices(), results, missing, List.of());
    }

    private static String describe(String name, PolicyKnobs o) {
        return switch (name) {
            case "fixed-hint" -> "a " + o.hintTokens() + "-token LLM hint for every query";
            case "agreement-cascade" -> o.samples() + " SLM samples; the LLM unless " + o.agreement() + " agree";
            default -> "core policy " + name;
        };
    }

    private Outcome[] run(Dataset data, String name, ShepherdingPolicy policy) {
        List<Example> ex = data.examples();
        Example first = ex.get(0);
        Shepherd shepherd = Shepherd.builder().small(models.small()).large(models.large()).policy(policy)
                .costModel(models.setup().prices()).template(Prompts.forKind(first.kind()))
                .extractor(extractor(first)).failureMode(FailureMode.STRICT).build();
        Outcome[] out = new Outcome[ex.size()];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < ex.size(); i++) {
                int idx = i;
                futures.add(pool.submit(() -> {
                    ShepherdResult r = shepherd.answer(ex.get(idx).query());
                    ScoreRecorder one = ScoreRecorder.named(name);
                    boolean correct = judge.score(ex.get(idx), r.text()) >= 1.0;
                    one.record(r, correct);
                    out[idx] = new Outcome(correct, one.snapshot());
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    throw new ShepherdException(name + " failed on " + ex.get(i).source() + " (" + ex.get(i).id()
                            + "): " + c.getMessage() + "; no report is written", c);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShepherdException("interrupted while evaluating " + name);
        } finally {
            pool.shutdownNow();
        }
        if (progress != null) {
            progress.println("evaluated " + name + " on " + ex.size() + " queries");
            progress.flush();
        }
        return out;
    }

    private static AnswerExtractor extractor(Example e) {
        return Prompts.extractor(e.kind());
    }

    private static StrategyResult point(String name, Outcome[] outcomes, String note) {
        StrategyScore total = StrategyScore.empty(name);
        for (Outcome o : outcomes) {
            total = total.plus(new StrategyScore(name, o.score.queries(), o.score.correct(), o.score.costUsd(),
                    o.score.llmCalls(), o.score.hintTokens()));
        }
        return StrategyResult.point(name, total.accuracy(), total.costUsd(), total.llmCalls(), total.hintTokens(), note);
    }

    /** One query's outcome under one strategy. */
    private record Outcome(boolean correct, StrategyScore score) {
    }

    /**
     * Knobs of the optional policies.
     *
     * @param hintTokens hint size of fixed-hint
     * @param samples K
     * @param agreement k
     */
    public record PolicyKnobs(int hintTokens, int samples, int agreement) {
    }
}
