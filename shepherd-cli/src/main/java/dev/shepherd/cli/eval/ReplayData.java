package dev.shepherd.cli.eval;

import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.trace.Response;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceRecord;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace laid out for replay: per query and model the recorded quality, the cost at the given prices and the
 * input tokens; the models in price order (the ladder). Package-private; immutable by convention.
 */
final class ReplayData {

    final Trace trace;
    final int n;
    final int m;
    final List<String> models;
    final TokenPrices[] prices;
    /** [query][model] in trace order. */
    final double[][] quality;
    final double[][] cost;
    final long[][] inputTokens;
    /** Model indices, cheapest (total cost over the trace) first; ties keep file order. */
    final int[] ladder;
    final int floor;
    final int reference;

    ReplayData(Trace trace, Map<String, TokenPrices> priceByModel) {
        this.trace = trace;
        this.n = trace.size();
        this.models = trace.models();
        this.m = models.size();
        this.prices = new TokenPrices[m];
        for (int j = 0; j < m; j++) {
            prices[j] = priceByModel.get(models.get(j));
            if (prices[j] == null) {
                throw new IllegalArgumentException("no prices for model '" + models.get(j) + "'");
            }
        }
        quality = new double[n][m];
        cost = new double[n][m];
        inputTokens = new long[n][m];
        double[] total = new double[m];
        for (int i = 0; i < n; i++) {
            TraceRecord r = trace.records().get(i);
            for (int j = 0; j < m; j++) {
                Response resp = r.response(models.get(j));
                quality[i][j] = resp.quality();
                inputTokens[i][j] = resp.inputTokens();
                cost[i][j] = prices[j].cost(resp.inputTokens(), resp.outputTokens());
                total[j] += cost[i][j];
            }
        }
        Integer[] order = new Integer[m];
        Arrays.setAll(order, j -> j);
        Arrays.sort(order, Comparator.comparingDouble(j -> total[j]));
        ladder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        floor = ladder[0];
        reference = ladder[m - 1];
    }

    /**
     * The same queries restricted to two of {@code parent}'s models: {@code cheaper} is the floor, {@code dearer} the
     * reference (the caller passes them in {@code parent}'s ladder order).
     */
    ReplayData(ReplayData parent, int cheaper, int dearer) {
        this.trace = parent.trace;
        this.n = parent.n;
        this.m = 2;
        this.models = List.of(parent.models.get(cheaper), parent.models.get(dearer));
        this.prices = new TokenPrices[] {parent.prices[cheaper], parent.prices[dearer]};
        int[] from = {cheaper, dearer};
        quality = new double[n][2];
        cost = new double[n][2];
        inputTokens = new long[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 2; j++) {
                quality[i][j] = parent.quality[i][from[j]];
                cost[i][j] = parent.cost[i][from[j]];
                inputTokens[i][j] = parent.inputTokens[i][from[j]];
            }
        }
        ladder = new int[] {0, 1};
        floor = 0;
        reference = 1;
    }

    /** The cost of sample {@code s} of model {@code j} on query {@code i}. */
    double sampleCost(int i, int j, int s) {
        var sample = trace.records().get(i).response(models.get(j)).samples().get(s);
        return prices[j].cost(sample.inputTokens(), sample.outputTokens());
    }

    /** A tally of one assignment of queries to models. */
    final class Tally {
        double quality;
        double cost;
        double referenceCalls;
        final double[] answered = new double[m];

        /** Query {@code i} answered by model {@code j}, having paid {@code paid} and called the reference or not. */
        void add(int i, int j, double q, double paid, boolean calledReference) {
            quality += q;
            cost += paid;
            referenceCalls += calledReference ? 1 : 0;
            answered[j] += 1;
        }

        /** Query {@code i} routed wholly to model {@code j}. */
        void route(int i, int j) {
            add(i, j, ReplayData.this.quality[i][j], ReplayData.this.cost[i][j], j == reference);
        }

        double accuracy() {
            return n == 0 ? 0 : quality / n;
        }

        CurvePoint point(double parameter) {
            return new CurvePoint(parameter, accuracy(), cost, referenceCalls);
        }

        Map<String, Double> calls() {
            Map<String, Double> out = new LinkedHashMap<>();
            for (int j : ladder) {
                out.put(models.get(j), answered[j]);
            }
            return out;
        }

        StrategyResult result(String name, List<CurvePoint> curve, String note) {
            return new StrategyResult(name, accuracy(), cost, referenceCalls, 0, curve, note).withModelCalls(calls());
        }
    }

    Tally tally() {
        return new Tally();
    }
}
