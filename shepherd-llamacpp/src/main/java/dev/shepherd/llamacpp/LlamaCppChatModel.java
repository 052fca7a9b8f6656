package dev.shepherd.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.shepherd.llamacpp.internal.Checks;
import dev.shepherd.llamacpp.internal.NativeLog;
import dev.shepherd.llamacpp.internal.RequestSettings;
import dev.shepherd.llamacpp.internal.TokenLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A LangChain4j {@link ChatModel} running a local GGUF model in-process with llama.cpp (through
 * {@code de.kherud:llama}, CPU): a small model with zero infrastructure. The GGUF path is
 * configuration; nothing is ever downloaded.
 *
 * <ul>
 *   <li>{@code maxOutputTokens} is exact: the engine stops after that many tokens and the answer
 *       then ends with {@link FinishReason#LENGTH}; otherwise
 *       (end of sequence or a stop sequence) with {@code STOP}.
 *   <li>Temperature ({@code 0} is greedy and deterministic), top-p, top-k, frequency and
 *       presence penalties and stop sequences are honoured per request; the seed is set on the
 *       builder.
 *   <li>When the last message is an {@link AiMessage}, the model CONTINUES that text (a
 *       prefilled assistant answer: how continuation-style hints reach the small model); the
 *       returned text excludes the prefilled part.
 *   <li>{@link TokenUsage} counts come from the model's own tokenizer: input = tokens of the
 *       rendered prompt (without the BOS token the engine adds), output = tokens generated.
 *   <li>Not supported: tools, JSON response formats, images. Per-token log-probabilities are not
 *       available: de.kherud:llama 4.2.0 aborts the JVM when {@code n_probs > 0} (its JNI reads
 *       a JSON field that llama.cpp b4916 no longer writes), so this model never requests them.
 * </ul>
 *
 * <p>Failures: configuration errors surface from {@link Builder#build()} ({@link ModelLoadException}
 * naming the GGUF path); invalid requests throw {@link IllegalArgumentException} naming the field
 * and value, unsupported features LangChain4j's {@code UnsupportedFeatureException}, prompts that
 * do not fit the context {@link PromptTooLongException}, engine errors {@link InferenceException}.
 *
 * <p>Thread-safe. The native engine is not safe for concurrent inference, so calls are
 * serialised through one fair lock: concurrent callers each get their own correct answer, one
 * after another. {@link #close()} waits for a running call, is idempotent, and makes later calls
 * fail with {@link IllegalStateException}. de.kherud:llama leaves a non-daemon native thread
 * behind after closing; a {@code main} method that used this model should end with
 * {@code System.exit}.
 */
public final class LlamaCppChatModel implements ChatModel, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LlamaCppChatModel.class);
    private static final AtomicLong IDS = new AtomicLong();

    private final Path modelPath;
    private final String modelName;
    private final int contextSize;
    private final Integer seed;
    private final boolean cachePrompt;
    private final ChatTemplate chatTemplate;
    private final ChatRequestParameters defaults;
    private final List<ChatModelListener> listeners;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final LlamaModel engine;
    private boolean closed;

    private LlamaCppChatModel(Builder builder) {
        this.modelPath = GgufFiles.requireGguf(builder.modelPath);
        this.modelName = modelPath.getFileName().toString();
        this.contextSize = builder.contextSize;
        this.seed = builder.seed;
        this.cachePrompt = builder.cachePrompt;
        this.chatTemplate = builder.chatTemplate;
        this.listeners = List.copyOf(builder.listeners);
        this.defaults = DefaultChatRequestParameters.builder()
                .modelName(modelName)
                .temperature(builder.temperature)
                .topP(builder.topP)
                .maxOutputTokens(builder.maxOutputTokens)
                .build();
        NativeLog.installOnce();
        ModelParameters parameters = new ModelParameters()
                .setModel(modelPath.toString())
                .setThreads(builder.threads)
                .setThreadsBatch(builder.threads)
                .setCtxSize(contextSize);
        if (System.getProperty("os.name", "").startsWith("Mac")) {
            // CPU only. Elsewhere the bundled library has no GPU support, llama.cpp's default is already 0 layers
            // (b4916), and --gpu-layers would print three warning lines straight to stderr.
            parameters.setGpuLayers(0);
        }
        if (NativeLog.quiet()) {
            parameters.disableLog(); // llama.cpp's own log goes to stderr: only with DEBUG on (see NativeLog)
        }
        long start = System.nanoTime();
        try {
            this.engine = new LlamaModel(parameters);
        } catch (RuntimeException e) { // de.kherud's LlamaException is not public
            throw new ModelLoadException(modelPath, "llama.cpp rejected it (" + e.getMessage() + ")", e);
        }
        LOG.info("loaded {} in {} ms (threads={}, contextSize={})", modelPath, (System.nanoTime() - start) / 1_000_000,
                builder.threads, contextSize);
    }

    /** A new builder; {@link Builder#modelPath(Path)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        Objects.requireNonNull(chatRequest, "chatRequest");
        List<ChatMessage> messages = chatRequest.messages();
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == null) {
                throw new IllegalArgumentException("messages[" + i + "] must not be null");
            }
        }
        ChatRequestParameters parameters = defaults.overrideWith(chatRequest.parameters());
        RequestSettings settings = RequestSettings.of(parameters);
        String prefill = Templates.endsWithAssistant(messages) ? Templates.text(messages.get(messages.size() - 1)) : "";
        String prompt = Objects.requireNonNull(chatTemplate.render(messages), "chatTemplate rendered null");
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("the rendered prompt is empty: the messages carry no text");
        }
        int requestSeed = seed != null ? seed : ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
        InferenceParameters inference = settings.toInference(prompt, requestSeed, cachePrompt);
        TokenLoop.Result result;
        int inputTokens;
        lock.lock();
        try {
            ensureOpen();
            inputTokens = engine.encode(prompt).length;
            // +1 for the BOS token the engine prepends, +1 for room to generate at least one token
            if (inputTokens + 2 > contextSize) {
                throw new PromptTooLongException(inputTokens, contextSize);
            }
            result = generate(inference, settings);
        } finally {
            lock.unlock();
        }
        LlamaCppChatResponseMetadata metadata = LlamaCppChatResponseMetadata.builder()
                .id("llamacpp-" + IDS.incrementAndGet())
                .modelName(modelName)
                .tokenUsage(new TokenUsage(inputTokens, result.outputTokens()))
                .finishReason(result.finishReason())
                .renderedPrompt(prompt)
                .prefill(prefill)
                .seed(requestSeed)
                .stopSequence(result.stopSequence())
                .build();
        return ChatResponse.builder().aiMessage(AiMessage.from(result.text())).metadata(metadata).build();
    }

    private TokenLoop.Result generate(InferenceParameters inference, RequestSettings settings) {
        try {
            return TokenLoop.run(engine, inference, settings.maxOutputTokens(), settings.stopSequences());
        } catch (RuntimeException e) { // de.kherud's LlamaException is not public
            throw new InferenceException(modelName, e);
        }
    }

    /**
     * Counts the tokens of a text with the model's tokenizer (special-token markers are parsed,
     * no BOS is added): the same count {@link TokenUsage#inputTokenCount()} reports for a
     * rendered prompt.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public int countTokens(String text) {
        Objects.requireNonNull(text, "text");
        lock.lock();
        try {
            ensureOpen();
            return engine.encode(text).length;
        } finally {
            lock.unlock();
        }
    }

    /** The absolute path of the loaded GGUF file. */
    public Path modelPath() {
        return modelPath;
    }

    /** The context size in tokens the engine was created with. */
    public int contextSize() {
        return contextSize;
    }

    /** The template that turns messages into prompt text. */
    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return defaults;
    }

    @Override
    public List<ChatModelListener> listeners() {
        return listeners;
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** Frees the native model. Waits for a running call; idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                engine.close();
                LOG.debug("closed {}", modelPath);
            }
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("LlamaCppChatModel for " + modelPath + " is closed");
        }
    }

    /**
     * Builder of {@link LlamaCppChatModel}. Each setter validates at once and names the field.
     * Not thread-safe.
     */
    public static final class Builder {

        private Path modelPath;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int contextSize = 2048;
        private Integer seed;
        private int maxOutputTokens = 256;
        private double temperature = 0.8;
        private double topP = 0.95;
        private boolean cachePrompt;
        private ChatTemplate chatTemplate = ChatTemplate.plainText();
        private List<ChatModelListener> listeners = List.of();

        private Builder() {}

        /** The local GGUF file to load (required). It is read, never downloaded. */
        public Builder modelPath(Path modelPath) {
            this.modelPath = Objects.requireNonNull(modelPath, "modelPath");
            return this;
        }

        /** CPU threads for generation and prompt processing; default: available processors. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Context window in tokens (prompt plus answer); default 2048. */
        public Builder contextSize(int contextSize) {
            if (contextSize < 16) {
                throw new IllegalArgumentException("contextSize must be at least 16 but was " + contextSize);
            }
            this.contextSize = contextSize;
            return this;
        }

        /**
         * A fixed sampling seed for every request, making sampled answers reproducible. Leave it
         * unset (the default: a fresh random seed per request, reported in the metadata) when
         * several samples of the same request must differ, as reactive shepherding's K samples
         * must. Greedy answers (temperature 0) do not depend on the seed.
         */
        public Builder seed(int seed) {
            this.seed = seed;
            return this;
        }

        /** Default output cap when a request sets none; default 256. */
        public Builder maxOutputTokens(int maxOutputTokens) {
            if (maxOutputTokens < 1) {
                throw new IllegalArgumentException("maxOutputTokens must be at least 1 but was " + maxOutputTokens);
            }
            this.maxOutputTokens = maxOutputTokens;
            return this;
        }

        /** Default temperature when a request sets none; 0 is greedy; default 0.8. */
        public Builder temperature(double temperature) {
            Checks.requireTemperature(temperature);
            this.temperature = temperature;
            return this;
        }

        /** Default nucleus-sampling mass when a request sets none, in (0, 1]; default 0.95. */
        public Builder topP(double topP) {
            Checks.requireTopP(topP);
            this.topP = topP;
            return this;
        }

        /**
         * Whether the engine may reuse the previous prompt's cached prefix; default false. Reuse is
         * faster for long shared prefixes but evaluates the prompt in different batches, which can
         * flip a greedy near-tie: off keeps greedy answers bit-for-bit repeatable.
         */
        public Builder cachePrompt(boolean cachePrompt) {
            this.cachePrompt = cachePrompt;
            return this;
        }

        /** How messages become the prompt; default {@link ChatTemplate#plainText()}. */
        public Builder chatTemplate(ChatTemplate chatTemplate) {
            this.chatTemplate = Objects.requireNonNull(chatTemplate, "chatTemplate");
            return this;
        }

        /** LangChain4j listeners fired by {@link ChatModel#chat(ChatRequest)}. */
        public Builder listeners(List<ChatModelListener> listeners) {
            this.listeners = List.copyOf(Objects.requireNonNull(listeners, "listeners"));
            return this;
        }

        /**
         * Checks the GGUF file and loads it.
         *
         * @throws IllegalArgumentException when no model path was set
         * @throws ModelLoadException naming the path when the file is missing, a directory, not a
         *     GGUF file or rejected by llama.cpp
         */
        public LlamaCppChatModel build() {
            if (modelPath == null) {
                throw new IllegalArgumentException("modelPath is required");
            }
            return new LlamaCppChatModel(this);
        }
    }
}
