package dev.shepherd.server.internal;

import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostTotals;
import dev.shepherd.langchain4j.ShepherdChatResponseMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The server's meters in a Micrometer registry: requests by endpoint, status and mode, their duration, the
 * requests in flight, rejections by reason, shepherd decisions by kind and tier, and the ledger's totals.
 * Thread-safe (Micrometer's meters are).
 */
public final class ServerMetrics {

    private final MeterRegistry registry;
    // The meters of each tag combination, looked up once: a registry lookup builds and hashes the whole id.
    private final Map<RequestKey, RequestMeters> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<DecisionKey, Counter> decisions = new ConcurrentHashMap<>();

    public ServerMetrics(MeterRegistry registry, Semaphore permits, int maxConcurrent, CostLedger ledger) {
        this.registry = registry;
        Gauge.builder("shepherd.server.requests.inflight", permits, p -> maxConcurrent - p.availablePermits())
                .description("chat completions being answered").register(registry);
        Gauge.builder("shepherd.server.requests.limit", () -> maxConcurrent)
                .description("the concurrency limit (--max-concurrent)").register(registry);
        if (ledger != null) {
            ledgerCounter("shepherd.ledger.requests", "requests recorded in the ledger", ledger, CostTotals::requests);
            ledgerCounter("shepherd.ledger.failures", "ledger requests that failed", ledger, CostTotals::failures);
            ledgerCounter("shepherd.ledger.large.calls", "requests that called the large model", ledger,
                    CostTotals::largeCalls);
            ledgerCounter("shepherd.ledger.cost.usd", "dollars of every model call", ledger, CostTotals::costUsd);
            ledgerCounter("shepherd.ledger.hint.tokens", "large-model tokens bought as hints", ledger,
                    CostTotals::hintTokens);
        }
    }

    private void ledgerCounter(String name, String description, CostLedger ledger, ToDoubleFunction<CostTotals> f) {
        FunctionCounter.builder(name, ledger, l -> f.applyAsDouble(l.totals())).description(description)
                .register(registry);
    }

    /** One finished request. */
    public void request(String endpoint, int status, boolean stream, long startNanos) {
        RequestMeters m = requests.computeIfAbsent(new RequestKey(endpoint, status, stream), this::requestMeters);
        m.count().increment();
        if (m.duration() != null) {
            m.duration().record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A request refused before it reached the models: {@code auth}, {@code concurrency}, {@code size}. */
    public void rejected(String reason) {
        rejections.computeIfAbsent(reason, r -> Counter.builder("shepherd.server.rejected").tag("reason", r)
                .register(registry)).increment();
    }

    /** A shepherded answer. */
    public void answered(ShepherdChatResponseMetadata md, String tier) {
        decisions.computeIfAbsent(new DecisionKey(md.decision().kind(), tier, md.degraded()), k -> Counter
                .builder("shepherd.server.decisions").tag("decision", k.kind().name()).tag("tier", k.tier())
                .tag("degraded", String.valueOf(k.degraded())).register(registry)).increment();
    }

    private RequestMeters requestMeters(RequestKey k) {
        String mode = k.stream() ? "stream" : "complete";
        String status = String.valueOf(k.status());
        Counter count = Counter.builder("shepherd.server.requests").tag("endpoint", k.endpoint()).tag("status", status)
                .tag("mode", mode).register(registry);
        Timer duration = !k.endpoint().equals("chat.completions") ? null
                : Timer.builder("shepherd.server.request.duration").tag("mode", mode).tag("status", status)
                .register(registry);
        return new RequestMeters(count, duration);
    }

    private record RequestKey(String endpoint, int status, boolean stream) {
    }

    private record RequestMeters(Counter count, Timer duration) {
    }

    private record DecisionKey(Decision.Kind kind, String tier, boolean degraded) {
    }
}
