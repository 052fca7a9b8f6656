package dev.shepherd.reliability.load;

import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.shepherd.core.Query;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.ShepherdException;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.jdbc.OutagePolicy;
import dev.shepherd.jdbc.ShepherdDatabase;
import dev.shepherd.langchain4j.ChatModelGenerator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One process of the fleet ({@link FleetRun}): {@code threads} threads each answer {@code requests} queries through
 * a {@link Shepherd} whose ledger and spend cap live in PostgreSQL, the small and large models being the real
 * Ollama and OpenAI clients talking to the parent's fault proxies. After each request ends (answer or exception),
 * it prints {@code done <query id> <outcome>}: the query id is in the request's ledger row.
 *
 * <p>Args: {@code <jdbc url> <schema> <cap name> <cap usd> <small url> <large url> <threads> <requests>
 * <worker> <client timeout ms>}.
 */
public final class FleetWorker {

    private FleetWorker() {
    }

    /** Runs the worker; exits 0 when every thread is done. */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        String capName = args[2];
        double capUsd = Double.parseDouble(args[3]);
        String smallUrl = args[4];
        String largeUrl = args[5];
        int threads = Integer.parseInt(args[6]);
        int requests = Integer.parseInt(args[7]);
        int worker = Integer.parseInt(args[8]);
        Duration timeout = Duration.ofMillis(Long.parseLong(args[9]));

        ShepherdDatabase db = ShepherdDatabase.builder().jdbcUrl(url).schema(schema).maxPoolSize(threads + 2).build();
        CostLedger ledger = CostLedger.over(db.ledger());
        SpendCap cap = SpendCap.over(db.spendCap(capName, capUsd, Duration.ofHours(1), OutagePolicy.FALLBACK_TO_SMALL));
        Shepherd shepherd = Shepherd.builder()
                .small(ChatModelGenerator.of(OllamaChatModel.builder().baseUrl(smallUrl).modelName("slm").maxRetries(0)
                        .timeout(timeout).build(), "slm", ModelRole.SMALL))
                .large(ChatModelGenerator.of(OpenAiChatModel.builder().baseUrl(largeUrl).apiKey("fleet-key")
                        .modelName("llm").maxRetries(0).timeout(timeout).build(), "llm", ModelRole.LARGE))
                .policy(ReactiveShepherding.builder().samples(3).agreement(2).predictor(SoakRun.PREDICTOR)
                        .rule(new HintDecisionRule(0.5, 20, 200)).build())
                .costModel(CostModel.localSmall(SoakRun.LARGE_PRICES))
                .largeMaxOutputTokens(64)
                .spendCap(cap)
                .ledger(ledger)
                .build();

        PrintStream out = System.out;
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < requests; i++) {
                    String id = "p" + worker + "-t" + thread + "-" + i;
                    String outcome;
                    try {
                        ShepherdResult r = shepherd.answer(Query.of(id, "question #" + id + "?", null));
                        outcome = r.notes().contains(ShepherdResult.NOTE_SPEND_CAP) ? "spend-cap"
                                : r.notes().contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE) ? "llm-unavailable"
                                : "answered";
                    } catch (ShepherdException e) {
                        outcome = e.getClass().getSimpleName();
                    } catch (RuntimeException e) {
                        outcome = "unexpected:" + e.getClass().getSimpleName();
                    }
                    synchronized (out) {
                        out.println("done " + id + " " + outcome);
                        out.flush();
                    }
                }
            }, "fleet-" + worker + "-" + t);
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join();
        }
        out.println("finished");
        out.flush();
        db.close();
        System.exit(0);
    }
}
