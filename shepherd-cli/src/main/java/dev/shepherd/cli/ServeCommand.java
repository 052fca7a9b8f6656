package dev.shepherd.cli;

import dev.langchain4j.model.chat.ChatModel;
import dev.shepherd.cli.dataset.TaskKind;
import dev.shepherd.cli.eval.Prompts;
import dev.shepherd.cli.live.ChatModels;
import dev.shepherd.cli.live.LiveEvaluator;
import dev.shepherd.cli.live.ModelOptions;
import dev.shepherd.cli.live.ModelSetup;
import dev.shepherd.cli.live.Policies;
import dev.shepherd.cli.live.PolicyPredictors;
import dev.shepherd.cli.live.Provider;
import dev.shepherd.cli.report.AtomicFiles;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.jdbc.ShepherdDatabase;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.langchain4j.ShepherdModelBuilder;
import dev.shepherd.langchain4j.ShepherdStreamingChatModel;
import dev.shepherd.micrometer.ShepherdMetrics;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.server.ApiKeys;
import dev.shepherd.server.ShepherdServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * {@code shepherd serve}: an OpenAI-compatible server (shepherd-server) that shepherds every chat completion with
 * the configured models, policy and predictor, until SIGTERM or Ctrl-C, which drain the requests in flight and then
 * write the ledger. With {@code --database} the ledger and the spend cap live in a shepherd-jdbc database (shared by
 * every serve on it), closed after the drain. {@code /metrics} carries shepherd-micrometer's {@link ShepherdMetrics}
 * (requests, tokens, cost, predictor latency, cap gauges), bound here rather than in shepherd-server because only
 * the command builds the predictor and the cap, and a server that bound them itself would count twice for an
 * application that binds its own. Not thread-safe (one per invocation).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the OpenAI chat-completions API "
        + "(/v1/chat/completions, streamed or not; /v1/models; /health; /metrics), shepherding every request "
        + "with the configured models, policy and predictor. Ctrl-C or SIGTERM drains the requests in flight, "
        + "then writes the ledger.",
        footer = {"", "Example:",
            "  shepherd serve --port 8080 --config models.properties --api-keys keys.txt \\",
            "      --policy fixed-hint --hint-tokens 16 --ledger ledger.jsonl",
            "  shepherd serve ... --database jdbc:postgresql://db:5432/shepherd --database-user shepherd \\",
            "      --spend-cap 50 --cap-name chat-fleet     # password in $" + DatabaseOptions.PASSWORD_ENV,
            "  curl -s http://127.0.0.1:8080/v1/chat/completions -H 'Authorization: Bearer KEY' \\",
            "      -H 'Content-Type: application/json' \\",
            "      -d '{\"model\":\"shepherd\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 17 * 23?\"}]}'",
            "Client keys: --api-keys FILE (one per line) and/or the variable " + ServeCommand.KEYS_ENV
                + " (comma-separated).",
            "Without keys the server admits every client, and only on a loopback address."})
final class ServeCommand implements Callable<Integer> {

    /** The environment variable with comma-separated client keys. */
    static final String KEYS_ENV = "SHEPHERD_API_KEYS";

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0: any free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Address to listen on "
            + "(default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface, which needs client keys).")
    String host;

    @Option(names = "--api-keys", paramLabel = "FILE", description = "Client keys, one per line (# comments); "
            + "clients send 'Authorization: Bearer KEY'. Also read from $" + KEYS_ENV + ".")
    Path apiKeys;

    @Option(names = "--model-id", paramLabel = "ID", defaultValue = "shepherd", description = "The model id clients send "
            + "(default: ${DEFAULT-VALUE}).")
    String modelId;

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "64", description = "Chat completions answered "
            + "at once; more get HTTP 429 (default: ${DEFAULT-VALUE}).")
    int maxConcurrent;

    @Option(names = "--max-request-bytes", paramLabel = "N", defaultValue = "1048576", description = "Largest request "
            + "body; larger gets HTTP 413 (default: ${DEFAULT-VALUE}).")
    long maxRequestBytes;

    @Option(names = "--drain-seconds", paramLabel = "S", defaultValue = "30", description = "On shutdown, how long "
            + "requests in flight may take to finish (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--ledger", paramLabel = "FILE", description = "Write every request's ledger entry (JSONL) to "
            + "FILE on shutdown, after the requests in flight have drained. Entries are kept in memory until then "
            + "(with --database: this process's entries, also written to the database).")
    Path ledger;

    @Option(names = "--spend-cap", paramLabel = "USD", description = "At most USD of large-model spend per hour; beyond "
            + "it requests are answered by the small model alone (note spend-cap). With --database the hour is "
            + "shared by every serve that names the same --cap-name.")
    Double spendCap;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--task", paramLabel = "KIND", description = "MATH, CODE or TEXT: the instruction and answer "
            + "extraction of the paper's prompt. Default: none (chat traffic: the user's text unchanged).")
    TaskKind task;

    @Option(names = "--hint-placement", paramLabel = "WHERE", defaultValue = "PROMPT", description = "PROMPT (a Hint: "
            + "line) or CONTINUATION (the small model continues the hint; for backends that continue a prefilled "
            + "assistant message) (default: ${DEFAULT-VALUE}).")
    HintPlacement hintPlacement;

    @Option(names = "--policy", paramLabel = "NAME", description = "slm-only, llm-only, fixed-hint, agreement-cascade, "
            + "confidence-cascade, proactive-shepherding, reactive-shepherding, routing (default: "
            + "proactive-shepherding with --predictor, else fixed-hint).")
    String policy;

    @Option(names = "--hint-tokens", paramLabel = "N", defaultValue = "32", description = "Hint size of fixed-hint (default: ${DEFAULT-VALUE}).")
    int hintTokens;

    @Option(names = "--samples", paramLabel = "K", defaultValue = "3", description = "K SLM samples (reactive, cascade; default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--agreement", paramLabel = "K", defaultValue = "3", description = "k agreeing samples (default: ${DEFAULT-VALUE}).")
    int agreement;

    @Option(names = "--predictor", paramLabel = "BUNDLE", description = "A predictor bundle (shepherd train).")
    Path predictor;

    @Mixin
    ModelOptions models;

    @Spec
    CommandSpec spec;

    /** Completed with the server once it listens (tests drive and stop an in-process serve through it). */
    final CompletableFuture<ShepherdServer> started = new CompletableFuture<>();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkLimits();
        database.check(spec.commandLine().getParseResult(), spendCap != null);
        ApiKeys keys = keys();
        if (!keys.required() && !loopback(host)) {
            throw new InputException("--api-keys", 0, null, "listening on " + host + " needs client keys: pass "
                    + "--api-keys FILE or set " + KEYS_ENV + " (without keys only a loopback address is allowed)");
        }
        ModelSetup setup = models.resolve();
        setup.checkKeys();
        String name = policy != null ? policy : predictor != null ? "proactive-shepherding" : "fixed-hint";
        if (!Policies.WITHOUT_PREDICTOR.contains(name) && !Policies.WITH_PREDICTOR.contains(name)) {
            throw new InputException("--policy", 0, null, "unknown or unservable policy '" + name + "'; valid: "
                    + String.join(", ", Policies.WITHOUT_PREDICTOR) + " and, with --predictor, "
                    + String.join(", ", Policies.WITH_PREDICTOR));
        }
        OnnxHintPredictor p = predictor == null ? null : Predictors.open(predictor);
        List<AutoCloseable> owned = new ArrayList<>();
        ShepherdDatabase db = null;
        Thread hook = null;
        try {
            // bound before any meter is registered, so that the registry sees every one (and Micrometer stays quiet)
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ShepherdMetrics metrics = ShepherdMetrics.create();
            metrics.bindTo(registry);
            PolicyPredictors.Selection sel = p == null || !Policies.WITH_PREDICTOR.contains(name) ? null
                    : timed(Predictors.policyPredictors(predictor, p, !explicitAgreement()).select(name), metrics);
            ShepherdingPolicy pol = Policies.of(name, sel, new LiveEvaluator.PolicyKnobs(hintTokens, samples,
                    sel != null && sel.agreement() != null ? sel.agreement() : agreement), null);
            db = database.open(System::getenv);
            // With a database the ledger keeps only totals in memory: --ledger's JSONL gets this process's entries
            // from a second, listening ledger.
            CostLedger book = db != null ? CostLedger.over(db.ledger())
                    : ledger != null ? CostLedger.create() : CostLedger.totalsOnly();
            CostLedger entries = db != null && ledger != null ? CostLedger.create() : book;
            if (entries != book) {
                book.addListener(entries::record);
            }
            metrics.listenTo(book);
            long before = book.totals().requests();
            SpendCap cap = spendCap == null ? null : db != null ? database.sharedCap(db, spendCap)
                    : SpendCap.of(spendCap, Duration.ofHours(1));
            if (cap != null) {
                metrics.monitor(database.capName, cap);
            }
            ChatModel smallChat = ChatModels.chat(setup.small(), setup, owned, err);
            ChatModel largeChat = ChatModels.chat(setup.large(), setup, owned, err);
            ShepherdChatModel chat = configure(ShepherdChatModel.builder().small(smallChat).large(largeChat),
                    setup, pol, name, book, cap).build();
            ShepherdStreamingChatModel.Builder sb = ShepherdStreamingChatModel.builder()
                    .small(ChatModels.streaming(setup.small(), smallChat));
            if (setup.large().provider() == Provider.GGUF) {
                sb.large(largeChat);
            } else {
                sb.large(ChatModels.streaming(setup.large(), largeChat));
            }
            ShepherdStreamingChatModel streaming = configure(sb, setup, pol, name, book, cap).build();
            CountDownLatch flushed = new CountDownLatch(1);
            ShepherdDatabase opened = db;
            ShepherdServer server = ShepherdServer.builder().chatModel(chat).streamingModel(streaming)
                    .host(host).port(port).modelId(modelId).apiKeys(keys).maxConcurrent(maxConcurrent)
                    .maxRequestBytes(maxRequestBytes).drainTimeout(Duration.ofSeconds(drainSeconds)).ledger(book)
                    .registry(registry)
                    // in the shutdown hook's thread on SIGTERM: the JVM may halt before call() returns
                    .afterDrain(() -> flush(book, book.totals().requests() - before, entries, opened, err, flushed))
                    .build();
            try {
                server.start();
            } catch (UncheckedIOException e) {
                throw new InputException("--port", 0, null, e.getMessage(), e);
            }
            hook = new Thread(server::close, "shepherd-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println(String.format(Locale.ROOT, "shepherd serve: listening on %s (model id %s, policy %s, "
                    + "small %s, large %s, %s, at most %d at once%s); Ctrl-C drains and stops", server.baseUri(),
                    modelId, name, setup.small().displayName(), setup.large().displayName(),
                    keys.required() ? keys.size() + " client key(s)" : "no client keys", maxConcurrent,
                    db == null ? "" : ", ledger in " + db));
            out.flush();
            started.complete(server);
            server.join();
            flushed.await();
            return ShepherdCli.EXIT_OK;
        } finally {
            started.completeExceptionally(new IllegalStateException("serve ended before it listened"));
            removeHook(hook);
            closeAll(owned);
            if (p != null) {
                p.close();
            }
            if (db != null) {
                db.close();
            }
        }
    }

    private static PolicyPredictors.Selection timed(PolicyPredictors.Selection sel, ShepherdMetrics metrics) {
        return new PolicyPredictors.Selection(metrics.timed(sel.predictor()), sel.rule(), sel.agreement(),
                sel.entropy());
    }

    private static void removeHook(Thread hook) {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running (SIGTERM): it drains and flushes itself
        }
    }

    private <B extends ShepherdModelBuilder<B>> B configure(B b, ModelSetup setup, ShepherdingPolicy pol, String name,
                                                            CostLedger book, SpendCap cap) {
        b.policy(pol).costModel(setup.prices()).ledger(book).hintPlacement(hintPlacement)
                .smallName(setup.small().displayName()).largeName(setup.large().displayName())
                .largeMaxOutputTokens(setup.maxOutputTokens(ModelRole.LARGE))
                .estimateMissingSmallUsage(setup.small().provider() == Provider.GGUF)
                // llm-only asked for the large model's answer: its failure fails the request.
                .failureMode(name.equals("llm-only") ? FailureMode.STRICT : FailureMode.FALLBACK_TO_SMALL);
        if (task != null) {
            b.template(Prompts.forKind(task)).extractor(AskCommand.extractor(task));
        }
        if (cap != null) {
            b.spendCap(cap);
        }
        return b;
    }

    private void flush(CostLedger book, long served, CostLedger entries, ShepherdDatabase db, PrintWriter err,
                       CountDownLatch flushed) {
        try {
            String inDatabase = db == null ? "" : "; the database ledger holds " + book.totals().requests()
                    + " requests";
            if (ledger != null) {
                StringWriter w = new StringWriter();
                entries.writeJsonl(w);
                AtomicFiles.write(ledger, w.toString().getBytes(StandardCharsets.UTF_8));
                err.println("shepherd serve: drained; " + entries.totals().requests() + " ledger entries written to "
                        + ledger + inDatabase);
            } else {
                err.println("shepherd serve: drained after " + served + " requests" + inDatabase);
            }
            err.flush();
        } catch (IOException | RuntimeException e) {
            err.println("shepherd: error: cannot write the ledger to " + ledger + ": " + e.getMessage());
            err.flush();
        } finally {
            if (db != null) {
                db.close(); // after the drain: every request in flight has recorded its entry
            }
            flushed.countDown();
        }
    }

    private ApiKeys keys() {
        ApiKeys keys = ApiKeys.none();
        if (apiKeys != null) {
            try {
                keys = ApiKeys.fromFile(apiKeys);
            } catch (UncheckedIOException e) {
                throw new InputException(apiKeys.toString(), 0, "--api-keys", "cannot read the key file: "
                        + e.getCause().getMessage());
            } catch (IllegalArgumentException e) {
                throw new InputException(apiKeys.toString(), 0, "--api-keys", e.getMessage());
            }
        }
        String env = System.getenv(KEYS_ENV);
        if (env != null && !env.isBlank()) {
            try {
                keys = keys.and(ApiKeys.parse(env));
            } catch (IllegalArgumentException e) {
                throw new InputException("$" + KEYS_ENV, 0, null, e.getMessage());
            }
        }
        return keys;
    }

    private void checkLimits() {
        if (port < 0 || port > 65535) {
            throw new InputException("--port", 0, null, "must be in [0, 65535] but was " + port);
        }
        if (maxConcurrent < 1) {
            throw new InputException("--max-concurrent", 0, null, "must be >= 1 but was " + maxConcurrent);
        }
        if (maxRequestBytes < 1) {
            throw new InputException("--max-request-bytes", 0, null, "must be >= 1 but was " + maxRequestBytes);
        }
        if (drainSeconds < 1) {
            throw new InputException("--drain-seconds", 0, null, "must be >= 1 but was " + drainSeconds);
        }
        if (spendCap != null && (!(spendCap >= 0) || spendCap.isInfinite())) {
            throw new InputException("--spend-cap", 0, null, "must be a finite number >= 0 (USD) but was " + spendCap);
        }
    }

    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new InputException("--host", 0, null, "unknown host '" + host + "'");
        }
    }

    private boolean explicitAgreement() {
        return spec.commandLine().getParseResult().hasMatchedOption("--agreement");
    }

    private static void closeAll(List<AutoCloseable> owned) {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a local model is best effort
            }
        }
    }
}
