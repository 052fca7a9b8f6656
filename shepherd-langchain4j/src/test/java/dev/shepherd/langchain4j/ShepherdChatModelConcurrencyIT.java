package dev.shepherd.langchain4j;

import static dev.shepherd.langchain4j.ShepherdChatModelIT.LARGE_ANSWER;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.PRICES;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.hintOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One {@link ShepherdChatModel} instance serving concurrent callers over real HTTP. */
class ShepherdChatModelConcurrencyIT {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 10;

    @Test
    void should_serve_concurrent_callers_with_one_instance_and_one_ledger_entry_each() throws Exception {
        try (FakeOllamaServer small = FakeOllamaServer.start(req -> {
                String q = req.lastUserMessage();
                return "answer to " + q.substring(q.indexOf('#') + 1, q.indexOf('?'));
            });
             FakeOpenAiServer large = FakeOpenAiServer.start(req -> LARGE_ANSWER)) {
            // given
            CostLedger ledger = CostLedger.create();
            ChatModel model = ShepherdChatModel.builder()
                    .small(Clients.ollama(small, "slm")).large(Clients.openAi(large, "llm"))
                    .policy(hintOf(3)).costModel(PRICES).ledger(ledger).build();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<List<String>>> futures = new ArrayList<>();
            // when
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<String> mismatches = new ArrayList<>();
                    for (int i = 0; i < PER_THREAD; i++) {
                        String id = thread + "-" + i;
                        ChatResponse r = model.chat(UserMessage.from("question #" + id + "?"));
                        if (!r.aiMessage().text().equals("answer to " + id)) {
                            mismatches.add(id + " -> " + r.aiMessage().text());
                        }
                    }
                    return mismatches;
                }));
            }
            List<String> mismatches = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                mismatches.addAll(f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();
            // then: every caller got its own answer, every request one entry, the counts add up
            int n = THREADS * PER_THREAD;
            assertThat(mismatches).isEmpty();
            assertThat(small.requestCount()).isEqualTo(n);
            assertThat(large.requestCount()).isEqualTo(n);
            List<LedgerEntry> entries = ledger.entries();
            assertThat(entries).hasSize(n).allSatisfy(e -> assertThat(e.succeeded()).isTrue());
            assertThat(new HashSet<>(entries.stream().map(LedgerEntry::requestId).toList())).hasSize(n);
            assertThat(ledger.totals().requests()).isEqualTo(n);
            assertThat(ledger.totals().hintTokens()).isEqualTo(3L * n);
            assertThat(ledger.totals().smallInputTokens()).isEqualTo(small.promptTokens());
            assertThat(ledger.totals().largeInputTokens() + ledger.totals().largeOutputTokens())
                    .isEqualTo(large.promptTokens() + large.completionTokens());
        }
    }
}
