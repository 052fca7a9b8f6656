package dev.shepherd.server.internal;

import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostTotals;
import dev.shepherd.langchain4j.ShepherdChatResponseMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
        String mode = stream ? "stream" : "complete";
        Counter.builder("shepherd.server.requests").tag("endpoint", endpoint).tag("status", String.valueOf(status))
                .tag("mode", mode).register(registry).increment();
        if (endpoint.equals("chat.completions")) {
            Timer.builder("shepherd.server.request.duration").tag("mode", mode).tag("status", String.valueOf(status))
                    .register(registry).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A request refused before it reached the models: {@code auth}, {@code concurrency}, {@code size}. */
    public void rejected(String reason) {
        Counter.builder("shepherd.server.rejected").tag("reason", reason).register(registry).increment();
    }

    /** A shepherded answer. */
    public void answered(ShepherdChatResponseMetadata md, String tier) {
        Counter.builder("shepherd.server.decisions").tag("decision", md.decision().kind().name())
                .tag("tier", tier).tag("degraded", String.valueOf(md.degraded())).register(registry).increment();
    }
}
