package dev.shepherd.cli.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shepherd.cli.world.QuestionBank.Question;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A <b>hint-sensitive simulated world</b>: a local OpenAI-compatible server with a small and a large model over
 * GSM8K, for testing shepherding end to end without real weights. <b>Results in this world are a simulation</b>: its
 * accuracies, costs and label distributions follow from the constants below, not from any language model, and say
 * nothing about how real models behave.
 *
 * <h2>Models</h2>
 * One JDK {@link HttpServer} on 127.0.0.1 serves {@code POST /v1/chat/completions} (and {@code GET /v1/models}) for
 * two model names (default {@code world-large} and {@code world-small}); {@link #smallBaseUrl()} and
 * {@link #largeBaseUrl()} are the same URL. Both recognise the GSM8K question in the prompt (the shepherd prompt's
 * {@code Question:} field, else the whole last user message; whitespace-normalised exact match); an unknown question
 * gets HTTP 400.
 * <ul>
 *   <li><b>Large</b>: answers the question's GSM8K solution (ending {@code #### N}); for a seeded
 *       {@link Config#largeWrongShare() ~10 %} of questions N is wrong. Deterministic at every temperature.</li>
 *   <li><b>Small</b>: reads the hint (the {@code Hint:} field, or a final assistant message it continues, i.e.
 *       {@code HintPlacement.CONTINUATION}) and succeeds with a probability that rises with the hint share; see
 *       {@link Simulation}. Each question has a difficulty d_q ({@link QuestionBank}): ~65 % need no hint, ~33 %
 *       need a share (mostly 10–30 %), ~2 % are unsolvable; d_q correlates with the question's length and number
 *       count (so a predictor can learn part of it) plus seeded noise. At temperature 0 (or with a request
 *       {@code seed}) the outcome is a function of the prompt; at T &gt; 0 each request draws fresh randomness.</li>
 * </ul>
 * Tokens are whitespace-separated words ({@link WorldTokens}), used for {@code usage}, {@code max_tokens}
 * (or {@code max_completion_tokens}) truncation and the hint share; {@code finish_reason} is {@code length} when the
 * output was cut or reached {@code max_tokens} exactly, else {@code stop}. {@code stop} sequences cut the output.
 * With {@code "logprobs": true} every output token carries {@code top_logprobs} (k = {@code top_logprobs}) whose
 * entropy rises with the model's uncertainty; {@link Config#smallRefusesLogprobs()} makes the small model answer
 * such requests with HTTP 400 instead. Temperature and top-p do not change P(success), only whether a request is
 * reproducible.
 *
 * <h2>Starting it by hand</h2>
 * From the repository root, after {@code mvn -B -q -pl shepherd-cli -am package -DskipTests} (which also compiles the
 * test classes):
 * <pre>
 * java -cp "shepherd-cli/target/shepherd.jar:shepherd-cli/target/test-classes" dev.shepherd.cli.world.HintWorld \
 *     --gsm8k ../shared/data/gsm8k_train.jsonl,../shared/data/gsm8k_test.jsonl --seed 7 --port 8088
 * </pre>
 * It prints the base URL and the {@code bin/shepherd} model flags, e.g.
 * {@code --slm-provider openai --slm-base-url http://127.0.0.1:8088/v1 --slm-model world-small --llm-provider openai
 * --llm-base-url http://127.0.0.1:8088/v1 --llm-model world-large}, and serves until killed. {@code --help} lists
 * every knob; {@link Config} holds the same knobs with their defaults.
 *
 * <p>Thread-safe; close it to free the port and the threads.
 */
public final class HintWorld implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QUESTION = Pattern.compile("(?m)^Question:[ \\t]?");
    private static final Pattern HINT = Pattern.compile("(?m)^Hint:[ \\t]?");

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, the client's delayed ACK
        // stalls each response by ~40 ms. Read once, when the first HttpServer starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Config config;
    private final QuestionBank bank;
    private final Simulation simulation;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Counters> counters;
    private final AtomicLong requestNo = new AtomicLong();

    private HintWorld(Config config, QuestionBank bank) throws IOException {
        this.config = config;
        this.bank = bank;
        this.simulation = new Simulation(config);
        this.counters = Map.of(config.smallModel(), new Counters(), config.largeModel(), new Counters());
        AtomicInteger threadNo = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "hint-world-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 128);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/models", this::models);
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                send(ex, 404, error("no such endpoint: " + ex.getRequestURI(), "invalid_request_error", null,
                        "not_found"));
            }
        });
        server.start();
    }

    /**
     * Loads the GSM8K files and starts serving.
     *
     * @throws IOException when a file cannot be read or the port cannot be bound
     */
    public static HintWorld start(Config config) throws IOException {
        Objects.requireNonNull(config, "config");
        return new HintWorld(config, QuestionBank.load(config.gsm8k(), config));
    }

    /** The port (127.0.0.1). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The OpenAI-compatible base URL serving both models, {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** The small model's base URL (the same server as the large one). */
    public String smallBaseUrl() {
        return baseUrl();
    }

    /** The large model's base URL (the same server as the small one). */
    public String largeBaseUrl() {
        return baseUrl();
    }

    /** The {@code shepherd} flags that point the CLI's SLM and LLM at this world. */
    public List<String> cliFlags() {
        return List.of("--slm-provider", "openai", "--slm-base-url", smallBaseUrl(), "--slm-model", config.smallModel(),
                "--llm-provider", "openai", "--llm-base-url", largeBaseUrl(), "--llm-model", config.largeModel());
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** The known questions and their profiles. */
    public QuestionBank bank() {
        return bank;
    }

    /** The models' behaviour (P(success), hint share, answers). */
    public Simulation simulation() {
        return simulation;
    }

    /** The small model's counters. */
    public Usage smallUsage() {
        return counters.get(config.smallModel()).snapshot();
    }

    /** The large model's counters. */
    public Usage largeUsage() {
        return counters.get(config.largeModel()).snapshot();
    }

    /** Zeroes every counter. */
    public void resetUsage() {
        counters.values().forEach(Counters::reset);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What one model has served.
     *
     * @param requests requests for this model that reached the chat endpoint
     * @param errors those answered with an HTTP error
     * @param promptTokens prompt tokens of the answered ones
     * @param completionTokens completion tokens of the answered ones
     */
    public record Usage(long requests, long errors, long promptTokens, long completionTokens) {
    }

    private static final class Counters {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong prompt = new AtomicLong();
        final AtomicLong completion = new AtomicLong();

        Usage snapshot() {
            return new Usage(requests.get(), errors.get(), prompt.get(), completion.get());
        }

        void reset() {
            requests.set(0);
            errors.set(0);
            prompt.set(0);
            completion.set(0);
        }
    }

    /** A request error: HTTP status and OpenAI-style error body. */
    private static final class Refusal extends Exception {
        final int status;
        final String body;

        Refusal(int status, String message, String type, String param, String code) {
            super(message, null, false, false);
            this.status = status;
            this.body = error(message, type, param, code);
        }

        static Refusal invalid(String message, String param) {
            return new Refusal(400, message, "invalid_request_error", param, null);
        }
    }

    private void models(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            ObjectNode root = JSON.createObjectNode();
            root.put("object", "list");
            ArrayNode data = root.putArray("data");
            for (String m : List.of(config.smallModel(), config.largeModel())) {
                data.addObject().put("id", m).put("object", "model").put("created", 1_700_000_000L)
                        .put("owned_by", "hint-world");
            }
            send(ex, 200, root.toString());
        }
    }

    private void chat(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            Counters c = null;
            try {
                if (!"POST".equals(ex.getRequestMethod())) {
                    throw new Refusal(405, "use POST", "invalid_request_error", null, null);
                }
                JsonNode root;
                try {
                    root = JSON.readTree(raw);
                } catch (IOException e) {
                    throw Refusal.invalid("cannot parse the request body as JSON", null);
                }
                String model = root.path("model").asText("");
                c = counters.get(model);
                if (c == null) {
                    throw new Refusal(404, "The model '" + model + "' does not exist; this world serves '"
                            + config.smallModel() + "' and '" + config.largeModel() + "'", "invalid_request_error",
                            "model", "model_not_found");
                }
                c.requests.incrementAndGet();
                ObjectNode reply = answer(root, model.equals(config.largeModel()), c);
                send(ex, 200, reply.toString());
            } catch (Refusal r) {
                if (c != null) {
                    c.errors.incrementAndGet();
                }
                send(ex, r.status, r.body);
            } catch (RuntimeException e) {
                if (c != null) {
                    c.errors.incrementAndGet();
                }
                send(ex, 500, error("hint world failed: " + e, "server_error", null, null));
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private ObjectNode answer(JsonNode root, boolean large, Counters c) throws Refusal {
        List<String[]> messages = new ArrayList<>();
        for (JsonNode m : root.path("messages")) {
            messages.add(new String[] {m.path("role").asText(""), content(m.path("content"))});
        }
        if (messages.isEmpty()) {
            throw Refusal.invalid("'messages' must be a non-empty array", "messages");
        }
        boolean logprobs = root.path("logprobs").asBoolean(false);
        int top = root.path("top_logprobs").asInt(0);
        if (top < 0 || top > 20) {
            throw Refusal.invalid("'top_logprobs' must be between 0 and 20 but was " + top, "top_logprobs");
        }
        if (!large && config.smallRefusesLogprobs() && (logprobs || root.hasNonNull("top_logprobs"))) {
            throw new Refusal(400, "logprobs are not supported by model '" + config.smallModel() + "'",
                    "invalid_request_error", "logprobs", "unsupported_parameter");
        }
        JsonNode maxNode = root.hasNonNull("max_completion_tokens") ? root.get("max_completion_tokens")
                : root.get("max_tokens");
        Integer max = maxNode == null || maxNode.isNull() ? null : maxNode.asInt();
        if (max != null && max < 1) {
            throw Refusal.invalid("'max_tokens' must be at least 1 but was " + max, "max_tokens");
        }
        double temperature = root.hasNonNull("temperature") ? root.get("temperature").asDouble() : 1.0;

        // Find the question and the hint: the last user message's Question:/Hint: fields, or a prefilled assistant
        // message to continue.
        int last = messages.size() - 1;
        String prefill = null;
        if ("assistant".equals(messages.get(last)[0]) && last > 0) {
            prefill = messages.get(last)[1];
            last--;
        }
        String user = null;
        for (int i = last; i >= 0; i--) {
            if ("user".equals(messages.get(i)[0])) {
                user = messages.get(i)[1];
                break;
            }
        }
        if (user == null) {
            throw Refusal.invalid("no user message holds a question", "messages");
        }
        String questionText = user;
        String hint = null;
        Matcher qm = QUESTION.matcher(user);
        int qEnd = -1;
        while (qm.find()) {
            qEnd = qm.end();
        }
        if (qEnd >= 0) {
            String rest = user.substring(qEnd);
            Matcher hm = HINT.matcher(rest);
            if (hm.find()) {
                questionText = rest.substring(0, hm.start());
                hint = rest.substring(hm.end());
            } else {
                questionText = rest;
            }
        }
        if (prefill != null) {
            hint = prefill;
        }
        String qText = questionText;
        Question q = bank.find(qText).or(() -> bank.find(messages.get(messages.size() - 1)[1])).orElseThrow(() ->
                Refusal.invalid("unknown question: the hint world knows only the " + bank.size()
                        + " GSM8K questions it loaded, not '" + abbreviate(WorldTokens.normalize(qText)) + "'",
                        "messages"));

        StringBuilder promptKey = new StringBuilder(large ? "L" : "S");
        int promptTokens = 0;
        for (String[] m : messages) {
            promptKey.append('\u0000').append(m[0]).append('\u0001').append(m[1]);
            promptTokens += WorldTokens.count(m[1]);
        }
        long seed;
        if (temperature <= 0) {
            seed = Simulation.hash(config.seed(), "t0", promptKey.toString());
        } else if (root.hasNonNull("seed")) {
            seed = Simulation.hash(config.seed(), "seed", root.get("seed").asText(), promptKey.toString());
        } else {
            seed = Simulation.mix(Simulation.hash(config.seed(), "sample") + requestNo.incrementAndGet());
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Simulation.Reply reply = large ? simulation.large(q) : simulation.small(q, hint, prefill != null, rng);

        String text = reply.text();
        for (String stop : stops(root.path("stop"))) {
            int at = stop.isEmpty() ? -1 : text.indexOf(stop);
            if (at >= 0) {
                text = text.substring(0, at);
            }
        }
        List<String> tokens = WorldTokens.tokens(text);
        String finish = "stop";
        if (max != null && tokens.size() >= max) {
            tokens = tokens.subList(0, max);
            finish = "length";
        }
        c.prompt.addAndGet(promptTokens);
        c.completion.addAndGet(tokens.size());

        ObjectNode out = JSON.createObjectNode();
        out.put("id", "chatcmpl-world-" + Long.toHexString(seed));
        out.put("object", "chat.completion");
        out.put("created", 1_700_000_000L);
        out.put("model", large ? config.largeModel() : config.smallModel());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", String.join("", tokens));
        if (logprobs) {
            double[][] probs = Simulation.topProbabilities(tokens.size(), reply.successProbability(), top, rng);
            ArrayNode content = choice.putObject("logprobs").putArray("content");
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                ObjectNode node = content.addObject();
                node.put("token", token);
                node.put("logprob", Math.log(probs[i][0]));
                bytes(node, token);
                ArrayNode tops = node.putArray("top_logprobs");
                for (int j = 0; j < top; j++) {
                    String alt = j == 0 ? token : " alt" + j;
                    ObjectNode a = tops.addObject().put("token", alt).put("logprob", Math.log(probs[i][j]));
                    bytes(a, alt);
                }
            }
        } else {
            choice.putNull("logprobs");
        }
        choice.put("finish_reason", finish);
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", tokens.size());
        usage.put("total_tokens", promptTokens + tokens.size());
        return out;
    }

    private static void bytes(ObjectNode node, String token) {
        ArrayNode b = node.putArray("bytes");
        for (byte x : token.getBytes(StandardCharsets.UTF_8)) {
            b.add(x & 0xff);
        }
    }

    private static List<String> stops(JsonNode stop) {
        List<String> out = new ArrayList<>();
        if (stop.isTextual()) {
            out.add(stop.asText());
        } else {
            stop.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static String content(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.has("text")) {
                sb.append(part.get("text").asText());
            }
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static String error(String message, String type, String param, String code) {
        ObjectNode e = JSON.createObjectNode();
        e.put("message", message);
        e.put("type", type);
        e.put("param", param);
        e.put("code", code);
        ObjectNode root = JSON.createObjectNode();
        root.set("error", e);
        return root.toString();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    /**
     * Starts a world and serves until killed. Run with {@code --help} for the options.
     *
     * @param args the options
     */
    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = parse(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("hint-world: " + e.getMessage() + " (try --help)");
            System.exit(2);
            return;
        }
        if (config == null) {
            return; // --help
        }
        HintWorld world = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            world.close();
            stopped.countDown();
        }, "hint-world-stop"));
        QuestionBank b = world.bank();
        long hinted = b.questions().stream().filter(Question::needsHint).count();
        long unsolvable = b.questions().stream().filter(q -> q.difficulty() == QuestionBank.UNSOLVABLE).count();
        long wrong = b.questions().stream().filter(q -> !q.largeCorrect()).count();
        System.out.printf("hint world (a SIMULATION, not a language model): %d GSM8K questions, %d need a hint "
                        + "(%d unsolvable), the large model is wrong on %d; seed %d%n", b.size(), hinted, unsolvable,
                wrong, config.seed());
        System.out.println("base URL:    " + world.baseUrl() + "  (small: " + config.smallModel() + ", large: "
                + config.largeModel() + ")");
        System.out.println("shepherd flags: " + String.join(" ", world.cliFlags()));
        System.out.println("serving until killed (Ctrl-C)");
        System.out.flush();
        stopped.await();
    }

    /** Parses {@link #main} options; {@code null} after printing help. */
    static Config parse(String[] args, PrintStream out) {
        Config.Builder b = Config.builder();
        boolean files = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return null;
                }
                case "--small-refuses-logprobs" -> b.smallRefusesLogprobs(value == null || Boolean.parseBoolean(value));
                case "--strip-annotations" -> b.stripAnnotations(value == null || Boolean.parseBoolean(value));
                default -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option " + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    try {
                        switch (name) {
                            case "--gsm8k" -> {
                                for (String f : value.split(",")) {
                                    if (!f.isBlank()) {
                                        b.gsm8k(Path.of(f.strip()));
                                        files = true;
                                    }
                                }
                            }
                            case "--port" -> b.port(Integer.parseInt(value));
                            case "--seed" -> b.seed(Long.parseLong(value));
                            case "--threads" -> b.threads(Integer.parseInt(value));
                            case "--small-model" -> b.smallModel(value);
                            case "--large-model" -> b.largeModel(value);
                            case "--large-wrong-share" -> b.largeWrongShare(Double.parseDouble(value));
                            case "--solo-share" -> b.soloShare(Double.parseDouble(value));
                            case "--unsolvable-share" -> b.unsolvableShare(Double.parseDouble(value));
                            case "--min-difficulty" -> b.minDifficulty(Double.parseDouble(value));
                            case "--max-difficulty" -> b.maxDifficulty(Double.parseDouble(value));
                            case "--difficulty-shape" -> b.difficultyShape(Double.parseDouble(value));
                            case "--predictability" -> b.predictability(Double.parseDouble(value));
                            case "--p-floor" -> b.pFloor(Double.parseDouble(value));
                            case "--p-ceil" -> b.pCeil(Double.parseDouble(value));
                            case "--width" -> b.width(Double.parseDouble(value));
                            case "--margin" -> b.margin(Double.parseDouble(value));
                            case "--typical-mistake-share" -> b.typicalMistakeShare(Double.parseDouble(value));
                            default -> throw new IllegalArgumentException("unknown option " + name);
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("option " + name + ": not a number: '" + value + "'");
                    }
                }
            }
        }
        if (!files) {
            throw new IllegalArgumentException("--gsm8k FILE[,FILE...] is required");
        }
        return b.build();
    }

    static final String USAGE = """
            Usage: java -cp "shepherd-cli/target/shepherd.jar:shepherd-cli/target/test-classes" \\
                     dev.shepherd.cli.world.HintWorld --gsm8k FILE[,FILE...] [options]
            A simulated small/large model pair over GSM8K behind one OpenAI-compatible endpoint (a SIMULATION).
              --gsm8k FILES               GSM8K JSONL files, comma-separated or repeated (required)
              --port N                    port on 127.0.0.1 (default 0: ephemeral)
              --seed N                    world seed (default 7)
              --small-model NAME          (default world-small)      --large-model NAME   (default world-large)
              --large-wrong-share X       share of questions the large model gets wrong (default 0.10)
              --solo-share X              share of questions needing no hint (default 0.65)
              --unsolvable-share X        share of questions no hint rescues (default 0.02)
              --min-difficulty X          smallest d_q of a hinted question (default 0.10)
              --max-difficulty X          largest d_q of a hinted question (default 0.95)
              --difficulty-shape X        d_q = min + (max - min) * v^shape over hinted questions (default 3.5)
              --predictability X          weight of question length/number count in d_q, 0..1 (default 0.6)
              --p-floor X / --p-ceil X    small model's P(success) range (default 0.03 / 0.95)
              --width X / --margin X      P = floor + (ceil - floor) * sigmoid((s - d + margin) / width) (0.03 / 0.05)
              --typical-mistake-share X   share of wrong answers that are the question's usual mistake (default 0.35)
              --small-refuses-logprobs    the small model answers logprobs requests with HTTP 400
              --strip-annotations         drop GSM8K's <<calculator>> annotations from the large answers
              --threads N                 server threads (default 8)
            """;

    /**
     * The world's knobs. Immutable; build with {@link #builder()}.
     */
    public static final class Config {
        private final List<Path> gsm8k;
        private final long seed;
        private final int port;
        private final int threads;
        private final String smallModel;
        private final String largeModel;
        private final double largeWrongShare;
        private final double soloShare;
        private final double unsolvableShare;
        private final double minDifficulty;
        private final double maxDifficulty;
        private final double difficultyShape;
        private final double predictability;
        private final double pFloor;
        private final double pCeil;
        private final double width;
        private final double margin;
        private final double typicalMistakeShare;
        private final boolean smallRefusesLogprobs;
        private final boolean stripAnnotations;

        private Config(Builder b) {
            this.gsm8k = List.copyOf(b.gsm8k);
            this.seed = b.seed;
            this.port = b.port;
            this.threads = b.threads;
            this.smallModel = b.smallModel;
            this.largeModel = b.largeModel;
            this.largeWrongShare = b.largeWrongShare;
            this.soloShare = b.soloShare;
            this.unsolvableShare = b.unsolvableShare;
            this.minDifficulty = b.minDifficulty;
            this.maxDifficulty = b.maxDifficulty;
            this.difficultyShape = b.difficultyShape;
            this.predictability = b.predictability;
            this.pFloor = b.pFloor;
            this.pCeil = b.pCeil;
            this.width = b.width;
            this.margin = b.margin;
            this.typicalMistakeShare = b.typicalMistakeShare;
            this.smallRefusesLogprobs = b.smallRefusesLogprobs;
            this.stripAnnotations = b.stripAnnotations;
        }

        /** A builder with the defaults. */
        public static Builder builder() {
            return new Builder();
        }

        /** GSM8K JSONL files (required). */
        public List<Path> gsm8k() {
            return gsm8k;
        }

        /** The world seed; default 7. */
        public long seed() {
            return seed;
        }

        /** The port on 127.0.0.1; default 0 (ephemeral). */
        public int port() {
            return port;
        }

        /** Server threads; default 8. */
        public int threads() {
            return threads;
        }

        /** The small model's name; default {@code world-small}. */
        public String smallModel() {
            return smallModel;
        }

        /** The large model's name; default {@code world-large}. */
        public String largeModel() {
            return largeModel;
        }

        /** Share of questions whose large answer has a wrong final number; default 0.10. */
        public double largeWrongShare() {
            return largeWrongShare;
        }

        /** Share of questions the small model needs no hint for (d_q = 0); default 0.65. */
        public double soloShare() {
            return soloShare;
        }

        /** Share of questions no hint rescues (d_q = ∞); default 0.02. */
        public double unsolvableShare() {
            return unsolvableShare;
        }

        /** Smallest d_q of a question that needs a hint; default 0.10. */
        public double minDifficulty() {
            return minDifficulty;
        }

        /** Largest d_q of a question that needs a hint; default 0.95. */
        public double maxDifficulty() {
            return maxDifficulty;
        }

        /** d_q = min + (max − min) · v^shape for v uniform over hinted questions; default 3.5 (most 10–30 %). */
        public double difficultyShape() {
            return difficultyShape;
        }

        /** Correlation of the latent difficulty with the question's length and number count, in [0, 1); 0.6. */
        public double predictability() {
            return predictability;
        }

        /** The small model's P(success) far below its need; default 0.03. */
        public double pFloor() {
            return pFloor;
        }

        /** The small model's P(success) far above its need; default 0.95. */
        public double pCeil() {
            return pCeil;
        }

        /** Width of the sigmoid in hint-share units; default 0.03. */
        public double width() {
            return width;
        }

        /** The sigmoid's midpoint lies this far below d_q (at s = d_q, P ≈ 0.80); default 0.05. */
        public double margin() {
            return margin;
        }

        /** Share of wrong small answers that are the question's usual mistake (so they may agree); default 0.35. */
        public double typicalMistakeShare() {
            return typicalMistakeShare;
        }

        /** Whether the small model refuses {@code logprobs} with HTTP 400; default false. */
        public boolean smallRefusesLogprobs() {
            return smallRefusesLogprobs;
        }

        /** Whether to drop GSM8K's {@code <<a*b=c>>} calculator annotations from the large answers; default false. */
        public boolean stripAnnotations() {
            return stripAnnotations;
        }

        /** Fail-fast builder. Not thread-safe. */
        public static final class Builder {
            private final List<Path> gsm8k = new ArrayList<>();
            private long seed = 7;
            private int port;
            private int threads = 8;
            private String smallModel = "world-small";
            private String largeModel = "world-large";
            private double largeWrongShare = 0.10;
            private double soloShare = 0.65;
            private double unsolvableShare = 0.02;
            private double minDifficulty = 0.10;
            private double maxDifficulty = 0.95;
            private double difficultyShape = 3.5;
            private double predictability = 0.6;
            private double pFloor = 0.03;
            private double pCeil = 0.95;
            private double width = 0.03;
            private double margin = 0.05;
            private double typicalMistakeShare = 0.35;
            private boolean smallRefusesLogprobs;
            private boolean stripAnnotations;

            private Builder() {
            }

            /** Adds GSM8K JSONL files. */
            public Builder gsm8k(Path... files) {
                for (Path f : files) {
                    gsm8k.add(Objects.requireNonNull(f, "file"));
                }
                return this;
            }

            public Builder seed(long seed) {
                this.seed = seed;
                return this;
            }

            public Builder port(int port) {
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("port must be in [0, 65535] but was " + port);
                }
                this.port = port;
                return this;
            }

            public Builder threads(int threads) {
                if (threads < 1) {
                    throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
                }
                this.threads = threads;
                return this;
            }

            public Builder smallModel(String name) {
                this.smallModel = requireName(name, "smallModel");
                return this;
            }

            public Builder largeModel(String name) {
                this.largeModel = requireName(name, "largeModel");
                return this;
            }

            public Builder largeWrongShare(double x) {
                this.largeWrongShare = share(x, "largeWrongShare");
                return this;
            }

            public Builder soloShare(double x) {
                this.soloShare = share(x, "soloShare");
                return this;
            }

            public Builder unsolvableShare(double x) {
                this.unsolvableShare = share(x, "unsolvableShare");
                return this;
            }

            public Builder minDifficulty(double x) {
                this.minDifficulty = share(x, "minDifficulty");
                return this;
            }

            public Builder maxDifficulty(double x) {
                this.maxDifficulty = share(x, "maxDifficulty");
                return this;
            }

            public Builder difficultyShape(double x) {
                if (!(x > 0)) {
                    throw new IllegalArgumentException("difficultyShape must be > 0 but was " + x);
                }
                this.difficultyShape = x;
                return this;
            }

            public Builder predictability(double x) {
                if (!(x >= 0 && x < 1)) {
                    throw new IllegalArgumentException("predictability must be in [0, 1) but was " + x);
                }
                this.predictability = x;
                return this;
            }

            public Builder pFloor(double x) {
                this.pFloor = share(x, "pFloor");
                return this;
            }

            public Builder pCeil(double x) {
                this.pCeil = share(x, "pCeil");
                return this;
            }

            public Builder width(double x) {
                if (!(x > 0)) {
                    throw new IllegalArgumentException("width must be > 0 but was " + x);
                }
                this.width = x;
                return this;
            }

            public Builder margin(double x) {
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("margin must be finite but was " + x);
                }
                this.margin = x;
                return this;
            }

            public Builder typicalMistakeShare(double x) {
                this.typicalMistakeShare = share(x, "typicalMistakeShare");
                return this;
            }

            public Builder smallRefusesLogprobs(boolean refuse) {
                this.smallRefusesLogprobs = refuse;
                return this;
            }

            public Builder stripAnnotations(boolean strip) {
                this.stripAnnotations = strip;
                return this;
            }

            /** The configuration; checks the knobs against each other. */
            public Config build() {
                if (gsm8k.isEmpty()) {
                    throw new IllegalArgumentException("at least one GSM8K file is required: call gsm8k(...)");
                }
                if (soloShare + unsolvableShare >= 1) {
                    throw new IllegalArgumentException("soloShare + unsolvableShare must be < 1 but was "
                            + (soloShare + unsolvableShare));
                }
                if (minDifficulty > maxDifficulty) {
                    throw new IllegalArgumentException("minDifficulty " + minDifficulty + " > maxDifficulty "
                            + maxDifficulty);
                }
                if (pFloor >= pCeil) {
                    throw new IllegalArgumentException("pFloor " + pFloor + " must be < pCeil " + pCeil);
                }
                if (smallModel.equals(largeModel)) {
                    throw new IllegalArgumentException("the small and the large model need different names");
                }
                return new Config(this);
            }

            private static double share(double x, String name) {
                if (!(x >= 0 && x <= 1)) {
                    throw new IllegalArgumentException(name + " must be in [0, 1] but was " + x);
                }
                return x;
            }

            private static String requireName(String name, String what) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException(what + " must not be blank");
                }
                return name;
            }
        }
    }
}
