package dev.shepherd.cli.eval;

import dev.shepherd.core.answer.Votes;
import dev.shepherd.trace.Response;
import dev.shepherd.trace.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Cascades over the price ladder, replayed exactly from a trace: the query goes to the cheapest tier; a tier that is
 * confident enough answers, else the next one is asked; the most expensive model answers whatever reaches it. Every
 * tier asked is paid for. Package-private; stateless.
 */
final class Cascades {

    private Cascades() {
    }

    /**
     * Adds every cascade the trace allows over the ladder of {@code d} to {@code out}, and what it does not allow to
     * {@code missing}.
     *
     * @param two whether to word the reasons for a two-model (SLM, LLM) trace
     * @param agreement k of the agreement cascade (capped at the recorded K)
     * @param confidence the confidence cascade's threshold
     */
    static void all(ReplayData d, boolean two, int agreement, double confidence, List<StrategyResult> out,
                    List<NotComputable> missing) {
        List<Integer> sampled = tiers(d, r -> r.samples().size() >= 2);
        if (sampled.isEmpty()) {
            missing.add(new NotComputable("agreement-cascade", two
                    ? "needs K >= 2 SLM samples per query to measure agreement; the trace has one SLM answer per query"
                    : "needs K >= 2 samples per query (field samples) from a model below the most expensive one"));
        } else {
            int kMax = Integer.MAX_VALUE;
            for (int j : sampled) {
                for (var r : d.trace.records()) {
                    kMax = Math.min(kMax, r.response(d.models.get(j)).samples().size());
                }
            }
            out.add(agreement(d, sampled, kMax, Math.min(agreement, kMax)));
        }
        List<Integer> confident = tiers(d, r -> r.confidence() != null);
        if (confident.isEmpty()) {
            missing.add(new NotComputable("confidence-cascade", "needs a confidence known at serving time (field "
                    + "confidence) on the answers of a model below the most expensive one"));
        } else {
            out.add(confidence(d, confident, confidence));
        }
    }

    /** The tiers below the reference (cheapest first) whose every response satisfies {@code usable}. */
    static List<Integer> tiers(ReplayData d, Predicate<Response> usable) {
        List<Integer> tiers = new ArrayList<>();
        for (int j : d.ladder) {
            if (j == d.reference) {
                continue;
            }
            String model = d.models.get(j);
            if (d.trace.records().stream().allMatch(r -> usable.test(r.response(model)))) {
                tiers.add(j);
            }
        }
        return tiers;
    }

    /**
     * The agreement cascade (ABC): at each tier, the first {@code K} recorded samples of the bare query; when at least
     * {@code k} share the most common non-null answer, the first sample carrying it is the answer; else the next tier.
     * Costs the K samples of each tier asked.
     *
     * @param tiers the tiers with at least K samples on every query, cheapest first
     * @param kMax K, the samples used per tier
     * @param k the operating agreement, 1..K; the curve sweeps k = 1..K
     */
    static StrategyResult agreement(ReplayData d, List<Integer> tiers, int kMax, int k) {
        List<CurvePoint> curve = new ArrayList<>();
        for (int j = 1; j <= kMax; j++) {
            curve.add(agreementTally(d, tiers, kMax, j).point(j));
        }
        return agreementTally(d, tiers, kMax, k).result("agreement-cascade", curve, String.format(Locale.ROOT,
                "%d recorded samples per tier at %s; a tier answers when %d agree, else the next; %s answers the rest; "
                        + "curve sweeps k", kMax, names(d, tiers), k, d.models.get(d.reference)));
    }

    private static ReplayData.Tally agreementTally(ReplayData d, List<Integer> tiers, int kMax, int k) {
        ReplayData.Tally t = d.tally();
        for (int i = 0; i < d.n; i++) {
            double paid = 0;
            boolean answered = false;
            for (int j : tiers) {
                List<Sample> samples = d.trace.records().get(i).response(d.models.get(j)).samples().subList(0, kMax);
                List<Optional<String>> answers = new ArrayList<>(kMax);
                for (int s = 0; s < kMax; s++) {
                    paid += d.sampleCost(i, j, s);
                    answers.add(Optional.ofNullable(samples.get(s).answer()));
                }
                Votes v = Votes.count(answers);
                if (v.agree(k)) {
                    t.add(i, j, samples.get(v.firstIndex()).outcome().quality(), paid, false);
                    answered = true;
                    break;
                }
            }
            if (!answered) {
                t.add(i, d.reference, d.quality[i][d.reference], paid + d.cost[i][d.reference], true);
            }
        }
        return t;
    }

    /**
     * The confidence (scorer) cascade: at each tier, the recorded answer is accepted when its recorded confidence is
     * at least the threshold, else the next tier. Costs the answer of each tier asked.
     *
     * @param tiers the tiers with a confidence on every query, cheapest first
     * @param threshold the operating threshold; the curve sweeps every distinct recorded confidence
     */
    static StrategyResult confidence(ReplayData d, List<Integer> tiers, double threshold) {
        TreeSet<Double> values = new TreeSet<>();
        for (int i = 0; i < d.n; i++) {
            for (int j : tiers) {
                values.add(d.trace.records().get(i).response(d.models.get(j)).confidence());
            }
        }
        List<Double> sweep = new ArrayList<>(values);
        if (sweep.size() > 200) { // at most ~200 thresholds, at quantiles of the recorded confidences
            List<Double> thin = new ArrayList<>();
            for (int q = 0; q < 200; q++) {
                thin.add(sweep.get((int) ((long) q * (sweep.size() - 1) / 199)));
            }
            sweep = thin;
        }
        sweep.add(Math.nextUp(values.last())); // above every confidence: everything to the reference
        List<CurvePoint> curve = new ArrayList<>();
        for (double t : sweep) {
            curve.add(confidenceTally(d, tiers, t).point(t));
        }
        return confidenceTally(d, tiers, threshold).result("confidence-cascade", curve, String.format(Locale.ROOT,
                "recorded confidences of %s; a tier answers when its confidence >= %.2f, else the next; %s answers the "
                        + "rest; curve sweeps the threshold", names(d, tiers), threshold, d.models.get(d.reference)));
    }

    private static ReplayData.Tally confidenceTally(ReplayData d, List<Integer> tiers, double threshold) {
        ReplayData.Tally t = d.tally();
        for (int i = 0; i < d.n; i++) {
            double paid = 0;
            boolean answered = false;
            for (int j : tiers) {
                paid += d.cost[i][j];
                if (d.trace.records().get(i).response(d.models.get(j)).confidence() >= threshold) {
                    t.add(i, j, d.quality[i][j], paid, false);
                    answered = true;
                    break;
                }
            }
            if (!answered) {
                t.add(i, d.reference, d.quality[i][d.reference], paid + d.cost[i][d.reference], true);
            }
        }
        return t;
    }

    private static String names(ReplayData d, List<Integer> tiers) {
        return String.join(" -> ", tiers.stream().map(d.models::get).toList());
    }
}
