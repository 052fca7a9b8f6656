package dev.shepherd.micrometer;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.cost.LedgerListener;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.model.ModelRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Shepherd's metrics for Micrometer, fed by what the library records: every {@link LedgerEntry} of a
 * {@link CostLedger} (one per request, successful or not) and, optionally, the predictor's timings and the spend
 * caps' windows. A {@link MeterBinder}: bind it to any number of registries; a registry counts what is recorded
 * after it was bound (Micrometer's composite registry), so bind before the first request.
 *
 * <pre>{@code
 * ShepherdMetrics metrics = ShepherdMetrics.create();
 * metrics.bindTo(registry);                        // e.g. a PrometheusMeterRegistry
 * metrics.listenTo(ledger);                        // every request's entry, from now on
 * HintPredictor timed = metrics.timed(predictor);  // shepherd.predictor.latency
 * metrics.monitor("fleet", spendCap);              // shepherd.spend.cap.spent / .limit
 * }</pre>
 *
 * <table>
 * <caption>Meters (Prometheus names in brackets)</caption>
 * <tr><td>{@code shepherd.requests} [{@code shepherd_requests_total}]</td><td>requests, by {@code policy},
 *     {@code decision} ({@code small_only}, {@code hint}, {@code large_full}, {@code none} when it failed before
 *     deciding), {@code tier} (the side that wrote the answer: {@code small}, {@code large}, {@code none}) and
 *     {@code outcome} ({@code answered}, {@code degraded}: the small model answered in the large one's place,
 *     {@code failed}), {@code answer_tier} and {@code answer_model} (the ledger's answering call: its tier's name
 *     — {@code small} or {@code large} with two models, the rung's own name on a ladder, where every tier above
 *     the bottom has the role {@code large} — and its model's name; {@code none} when the request failed)</td></tr>
 * <tr><td>{@code shepherd.hint.tokens}</td><td>a summary of the large-model tokens bought as hints, per request
 *     that bought one, by {@code policy}</td></tr>
 * <tr><td>{@code shepherd.model.tokens}</td><td>tokens, by {@code model}, {@code role} (small, large) and
 *     {@code direction} (input, output)</td></tr>
 * <tr><td>{@code shepherd.cost} [{@code shepherd_cost_usd_total}]</td><td>dollars, by {@code model} and
 *     {@code role}</td></tr>
 * <tr><td>{@code shepherd.model.calls}</td><td>a timer of model calls, by {@code model}, {@code role},
 *     {@code purpose} and {@code outcome} ({@code ok}, {@code error})</td></tr>
 * <tr><td>{@code shepherd.large.calls.avoided}</td><td>requests answered without any large-model call</td></tr>
 * <tr><td>{@code shepherd.fallbacks}</td><td>requests answered by the small model in the large one's place, by
 *     {@code reason} ({@code llm-unavailable}, {@code spend-cap})</td></tr>
 * <tr><td>{@code shepherd.spend.cap.refusals}</td><td>requests in which the spend cap refused a large-model call
 *     (fallen back or, in strict mode, failed)</td></tr>
 * <tr><td>{@code shepherd.predictor.latency}</td><td>a timer of {@link #timed(HintPredictor) timed} predictor
 *     calls</td></tr>
 * <tr><td>{@code shepherd.spend.cap.spent}, {@code .limit}</td><td>gauges of {@link #monitor monitored}
 *     caps, in dollars, by {@code cap}</td></tr>
 * </table>
 *
 * <p>Thread-safe; recording never throws into a request (the ledger logs and drops a listener's exception).
 */
public final class ShepherdMetrics implements MeterBinder, LedgerListener {

    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Tags tags;

    private ShepherdMetrics(Iterable<Tag> tags) {
        this.tags = Tags.of(tags);
    }

    /** Metrics without extra tags. */
    public static ShepherdMetrics create() {
        return new ShepherdMetrics(Tags.empty());
    }

    /** Metrics with {@code tags} on every meter (e.g. {@code service}, {@code replica}). */
    public static ShepherdMetrics create(Iterable<Tag> tags) {
        return new ShepherdMetrics(Objects.requireNonNull(tags, "tags"));
    }

    /** Adds {@code registry}: what is recorded from now on shows in it. */
    @Override
    public void bindTo(MeterRegistry registry) {
        meters.add(Objects.requireNonNull(registry, "registry"));
        // so that a scrape shows the counters at 0 before the first request
        Counter.builder("shepherd.large.calls.avoided").tags(tags).register(meters);
        Counter.builder("shepherd.spend.cap.refusals").tags(tags).register(meters);
    }

    /** Records every entry {@code ledger} records from now on; returns {@code ledger}. */
    public CostLedger listenTo(CostLedger ledger) {
        ledger.addListener(this);
        return ledger;
    }

    /** Records one request's entry (called by the ledger). */
    @Override
    public void onRecorded(LedgerEntry e) {
        boolean degraded = e.notes().contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE)
                || e.notes().contains(ShepherdResult.NOTE_SPEND_CAP);
        boolean usedLarge = false;
        for (CallRecord c : e.calls()) {
            usedLarge |= c.role() == ModelRole.LARGE;
            record(c);
        }
        Decision d = e.decision();
        String outcome = !e.succeeded() ? "failed" : degraded ? "degraded" : "answered";
        String tier = !e.succeeded() || d == null ? "none" : d.kind() == Decision.Kind.LARGE_FULL ? "large" : "small";
        // On a ladder every tier above the bottom is "large" by role: the answering call names the rung.
        CallRecord answer = e.answeredBy();
        Counter.builder("shepherd.requests").description("requests, one per ledger entry").tags(tags)
                .tag("policy", e.policy()).tag("decision", d == null ? "none" : d.kind().name().toLowerCase(Locale.ROOT))
                .tag("tier", tier).tag("outcome", outcome)
                .tag("answer_tier", answer == null ? "none" : answer.tier())
                .tag("answer_model", answer == null ? "none" : answer.model()).register(meters).increment();
        long hint = e.hintTokens();
        if (hint > 0) {
            DistributionSummary.builder("shepherd.hint.tokens").description("large-model tokens bought as hints")
                    .baseUnit("tokens").tags(tags).tag("policy", e.policy()).register(meters).record(hint);
        }
        if (e.succeeded() && !usedLarge) {
            Counter.builder("shepherd.large.calls.avoided").tags(tags).register(meters).increment();
        }
        for (String reason : List.of(ShepherdResult.NOTE_LARGE_UNAVAILABLE, ShepherdResult.NOTE_SPEND_CAP)) {
            if (e.notes().contains(reason)) {
                Counter.builder("shepherd.fallbacks").tags(tags).tag("reason", reason).register(meters).increment();
            }
        }
        if (e.notes().contains(ShepherdResult.NOTE_SPEND_CAP)
                || (e.error() != null && e.error().startsWith("SpendLimitExceededException"))) {
            Counter.builder("shepherd.spend.cap.refusals").tags(tags).register(meters).increment();
        }
    }

    private void record(CallRecord c) {
        String role = c.role().label();
        Tags model = tags.and("model", c.model(), "role", role);
        if (c.inputTokens() > 0) {
            Counter.builder("shepherd.model.tokens").baseUnit("tokens").tags(model).tag("direction", "input")
                    .register(meters).increment(c.inputTokens());
        }
        if (c.outputTokens() > 0) {
            Counter.builder("shepherd.model.tokens").baseUnit("tokens").tags(model).tag("direction", "output")
                    .register(meters).increment(c.outputTokens());
        }
        if (c.costUsd() > 0) {
            Counter.builder("shepherd.cost").baseUnit("usd").description("dollars paid").tags(model)
                    .register(meters).increment(c.costUsd());
        }
        Timer.builder("shepherd.model.calls").tags(model).tag("purpose", c.purpose().name().toLowerCase(Locale.ROOT))
                .tag("outcome", c.failed() ? "error" : "ok").register(meters)
                .record(c.latency().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@code predictor}, its {@code predict} and {@code predictAll} calls timed as {@code shepherd.predictor.latency}. */
    public HintPredictor timed(HintPredictor predictor) {
        Objects.requireNonNull(predictor, "predictor");
        Timer one = Timer.builder("shepherd.predictor.latency").description("one hint prediction").tags(tags)
                .tag("batch", "false").register(meters);
        Timer batch = Timer.builder("shepherd.predictor.latency").tags(tags).tag("batch", "true").register(meters);
        return new HintPredictor() {
            @Override
            public HintPrediction predict(Query query, Features features) {
                long t0 = System.nanoTime();
                try {
                    return predictor.predict(query, features);
                } finally {
                    one.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public List<HintPrediction> predictAll(List<Query> queries, List<Features> features) {
                long t0 = System.nanoTime();
                try {
                    return predictor.predictAll(queries, features);
                } finally {
                    batch.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public Set<String> requiredFeatures() {
                return predictor.requiredFeatures();
            }

            @Override
            public String toString() {
                return "timed(" + predictor + ")";
            }
        };
    }

    /**
     * Gauges {@code shepherd.spend.cap.spent} and {@code shepherd.spend.cap.limit} of {@code cap}, tagged
     * {@code cap=name}. Each read of the spent gauge asks the cap (for a database cap: one query per scrape).
     */
    public void monitor(String name, SpendCap cap) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cap, "cap");
        Gauge.builder("shepherd.spend.cap.spent", cap, SpendCap::spentInWindow).baseUnit("usd")
                .description("dollars spent or reserved in the cap's window").tags(tags).tag("cap", name)
                .strongReference(true).register(meters);
        Gauge.builder("shepherd.spend.cap.limit", cap, SpendCap::limitUsd).baseUnit("usd").tags(tags)
                .tag("cap", name).strongReference(true).register(meters);
    }
}
