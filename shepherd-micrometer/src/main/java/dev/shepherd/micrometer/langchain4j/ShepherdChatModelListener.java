package dev.shepherd.micrometer.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.shepherd.langchain4j.ShepherdChatResponseMetadata;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;

/**
 * A LangChain4j {@link ChatModelListener} that times whole shepherded requests: register it on a
 * {@code ShepherdChatModel} ({@code .listeners(List.of(new ShepherdChatModelListener(registry)))}) and it records
 * {@code shepherd.chat.requests}, a timer by {@code decision} ({@code small_only}, {@code hint},
 * {@code large_full}, or {@code error}) and {@code outcome} ({@code answered}, {@code degraded}, or the
 * exception's simple name). It complements {@link dev.shepherd.micrometer.ShepherdMetrics}, which counts from the
 * ledger and times each model call: this one sees the latency the caller saw. On an inner model (small or large)
 * it times that model's calls with {@code decision=none}.
 *
 * <p>Thread-safe; never throws into the call (LangChain4j also logs and drops listener exceptions).
 */
public final class ShepherdChatModelListener implements ChatModelListener {

    private static final Object START = new Object();

    private final MeterRegistry registry;
    private final Tags tags;

    /** A listener recording into {@code registry}. */
    public ShepherdChatModelListener(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** A listener recording into {@code registry} with {@code tags} on its timer. */
    public ShepherdChatModelListener(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void onRequest(ChatModelRequestContext context) {
        context.attributes().put(START, System.nanoTime());
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        String decision = "none";
        String outcome = "answered";
        if (context.chatResponse() != null && context.chatResponse().metadata() instanceof ShepherdChatResponseMetadata m) {
            decision = m.decision() == null ? "none" : m.decision().kind().name().toLowerCase(Locale.ROOT);
            outcome = m.degraded() ? "degraded" : "answered";
        }
        record(context.attributes().get(START), decision, outcome);
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        Throwable error = context.error();
        record(context.attributes().get(START), "error", error == null ? "unknown" : error.getClass().getSimpleName());
    }

    private void record(Object start, String decision, String outcome) {
        if (!(start instanceof Long t0)) {
            return;
        }
        Timer.builder("shepherd.chat.requests").description("shepherded chat requests as the caller saw them")
                .tags(tags).tag("decision", decision).tag("outcome", outcome).register(registry)
                .record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
