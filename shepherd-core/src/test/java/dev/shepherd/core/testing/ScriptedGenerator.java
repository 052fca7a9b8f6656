package dev.shepherd.core.testing;

import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.PromptMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory {@link Generator} for tests: answers from a script, records every
 * {@link GenerationRequest} it receives, and fails on demand.
 *
 * <p>Tokens are whitespace-separated words ({@link #tokens(String)}): input tokens are the words of
 * all messages plus the assistant prefix; output tokens the words of the reply. A request with
 * {@code maxOutputTokens = n} gets only the reply's first n words and {@link FinishReason#LENGTH},
 * which is how a large model's hint looks; otherwise {@link FinishReason#STOP}. When the request
 * asks for log-probabilities and a token entropy is configured, every output token carries it.
 *
 * <p>A {@link Script} also receives how many earlier calls had the same prompt (messages and
 * assistant prefix), so K samples of one query can differ deterministically while concurrent
 * requests for different queries stay independent.
 *
 * <pre>{@code
 * ScriptedGenerator small = ScriptedGenerator.scripted("small", (request, repeat) -> "#### " + (repeat + 1));
 * ScriptedGenerator large = ScriptedGenerator.replying("large", "Step one. Step two. #### 4");
 * large.failNextCalls(1);     // the next call throws IllegalStateException naming "large"
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ScriptedGenerator implements Generator {

    /** Computes a reply's text. */
    @FunctionalInterface
    public interface Script {
        /**
         * @param request the request received
         * @param repeat  how many earlier calls to this generator had the same messages and assistant prefix
         */
        String reply(GenerationRequest request, int repeat);
    }

    private static final Pattern WORD = Pattern.compile("\\S+");

    private final String name;
    private final Script textScript;
    private final Function<GenerationRequest, Completion> completionScript;
    private final Double tokenEntropy;
    private final List<GenerationRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> repeats = new ConcurrentHashMap<>();
    private final AtomicInteger failuresPending = new AtomicInteger();
    private volatile Predicate<GenerationRequest> failWhen = r -> false;
    private volatile Supplier<RuntimeException> failure;

    private ScriptedGenerator(String name, Script textScript, Function<GenerationRequest, Completion> completionScript,
                              Double tokenEntropy) {
        this.name = Objects.requireNonNull(name, "name");
        this.textScript = textScript;
        this.completionScript = completionScript;
        this.tokenEntropy = tokenEntropy;
        this.failure = () -> new IllegalStateException("scripted failure of '" + name + "'");
    }

    /** Replies with {@code script(request, repeat)}. */
    public static ScriptedGenerator scripted(String name, Script script) {
        Objects.requireNonNull(script, "script");
        return new ScriptedGenerator(name, script, null, null);
    }

    /** Replies with {@code script(request)}. */
    public static ScriptedGenerator answering(String name, Function<GenerationRequest, String> script) {
        Objects.requireNonNull(script, "script");
        return scripted(name, (request, repeat) -> script.apply(request));
    }

    /** The i-th call (from 0) gets {@code replies[i]}; calls past the end get the last reply. */
    public static ScriptedGenerator replying(String name, String... replies) {
        if (replies.length == 0) {
            throw new IllegalArgumentException("replies must hold at least one reply");
        }
        List<String> list = List.copyOf(Arrays.asList(replies));
        AtomicInteger next = new AtomicInteger();
        return answering(name, request -> list.get(Math.min(next.getAndIncrement(), list.size() - 1)));
    }

    /** Full control: the script builds the completion itself (token counts, finish reason, entropies). */
    public static ScriptedGenerator completing(String name, Function<GenerationRequest, Completion> script) {
        Objects.requireNonNull(script, "script");
        return new ScriptedGenerator(name, null, script, null);
    }

    /** A generator whose every call throws {@code IllegalStateException("scripted failure of '<name>'")}. */
    public static ScriptedGenerator failing(String name) {
        ScriptedGenerator g = replying(name, "unused");
        g.failWhen(r -> true);
        return g;
    }

    /**
     * A copy of this generator (not of its recorded calls) whose output tokens each carry {@code entropy}
     * nats when log-probabilities are asked for.
     */
    public ScriptedGenerator withTokenEntropy(double entropy) {
        if (!(entropy >= 0) || Double.isInfinite(entropy)) {
            throw new IllegalArgumentException("entropy must be finite and >= 0 but was " + entropy);
        }
        return new ScriptedGenerator(name, textScript, completionScript, entropy);
    }

    /** The next {@code calls} calls throw (counted across threads). */
    public void failNextCalls(int calls) {
        if (calls < 0) {
            throw new IllegalArgumentException("calls must be >= 0 but was " + calls);
        }
        failuresPending.set(calls);
    }

    /** Every call whose request matches throws, until replaced. */
    public void failWhen(Predicate<GenerationRequest> condition) {
        this.failWhen = Objects.requireNonNull(condition, "condition");
    }

    /** What a failing call throws; {@code IllegalStateException} naming this generator by default. */
    public void failureType(Supplier<RuntimeException> failure) {
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** Stops failing. */
    public void recover() {
        failuresPending.set(0);
        failWhen = r -> false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Completion generate(GenerationRequest request) {
        Objects.requireNonNull(request, "request");
        requests.add(request);
        int repeat = repeats.computeIfAbsent(promptKey(request), k -> new AtomicInteger()).getAndIncrement();
        if (failWhen.test(request) || failuresPending.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw failure.get();
        }
        return textScript != null ? complete(request, textScript.reply(request, repeat))
                : completionScript.apply(request);
    }

    /** Every request received, in arrival order. */
    public List<GenerationRequest> requests() {
        return Collections.unmodifiableList(new ArrayList<>(requests));
    }

    /** How many calls were made (failed ones included). */
    public int calls() {
        return requests.size();
    }

    /** The last request received. */
    public GenerationRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new IllegalStateException("'" + name + "' received no request");
        }
        return requests.get(requests.size() - 1);
    }

    /** The completion this generator returns for {@code text}: capped, counted, with entropies if asked. */
    public Completion complete(GenerationRequest request, String text) {
        Objects.requireNonNull(text, () -> "script of '" + name + "' returned null");
        String out = text;
        FinishReason finish = FinishReason.STOP;
        int outTokens = tokens(text);
        Integer cap = request.maxOutputTokens();
        if (cap != null && outTokens > cap) {
            Matcher m = WORD.matcher(text);
            int end = 0;
            for (int i = 0; i < cap && m.find(); i++) {
                end = m.end();
            }
            out = text.substring(0, end);
            outTokens = cap;
            finish = FinishReason.LENGTH;
        }
        int in = 0;
        for (PromptMessage message : request.messages()) {
            in += tokens(message.text());
        }
        in += request.assistantPrefix() == null ? 0 : tokens(request.assistantPrefix());
        List<Double> entropies = request.logprobs() && tokenEntropy != null
                ? Collections.nCopies(outTokens, tokenEntropy) : List.of();
        return new Completion(out, in, outTokens, finish, entropies);
    }

    /** Whitespace-separated words: the token count this generator reports. */
    public static int tokens(String text) {
        if (text == null) {
            return 0;
        }
        Matcher m = WORD.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String promptKey(GenerationRequest request) {
        StringBuilder sb = new StringBuilder();
        for (PromptMessage m : request.messages()) {
            sb.append(m.role()).append('\u0000').append(m.text()).append('\u0001');
        }
        return sb.append(request.assistantPrefix()).toString();
    }

    @Override
    public String toString() {
        return "ScriptedGenerator[" + name + "]";
    }
}
