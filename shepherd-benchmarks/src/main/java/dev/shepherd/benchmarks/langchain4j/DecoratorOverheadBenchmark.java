package dev.shepherd.benchmarks.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.policy.SmallOnly;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The overhead {@link ShepherdChatModel} adds over a direct {@code ChatModel} call, in one run:
 * <ul>
 *   <li>{@code http_direct} vs {@code http_shepherded}: the real {@code OpenAiChatModel} against the
 *       same local fake OpenAI server (127.0.0.1), the same request and the same bytes on the wire
 *       (the direct request sets the sampling the decorator sends, T = 0.3, top-p 0.95); the
 *       decorator runs the SLM-only policy, so it makes exactly one call, as the direct path does;</li>
 *   <li>{@code stub_direct} vs {@code stub_shepherded}: the same over an in-memory {@code ChatModel}
 *       that answers at once, isolating the decorator's own CPU cost from HTTP jitter.</li>
 * </ul>
 * SampleTime mode, so JMH reports p50/p90/p99 per benchmark. Goal: p50 difference ≤ 1 ms.
 *
 * <pre>
 * java -jar shepherd-benchmarks/target/benchmarks.jar DecoratorOverheadBenchmark -f 1 -wi 2 -i 3 -w 2s -r 3s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecoratorOverheadBenchmark {

    private static final String ANSWER = "Six times seven is 42, so the answer is 42.";

    private FakeOpenAiServer server;
    private ChatModel httpDirect;
    private ChatModel httpShepherded;
    private ChatModel stubDirect;
    private ChatModel stubShepherded;
    private ChatRequest directRequest;
    private ChatRequest shepherdedRequest;

    @Setup
    public void start() {
        server = FakeOpenAiServer.builder().responder(req -> ANSWER).recordRequests(false).threads(4).build();
        httpDirect = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("bench").modelName("bench-model")
                .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
        httpShepherded = shepherded(httpDirect);
        stubDirect = new StubChatModel();
        stubShepherded = shepherded(stubDirect);
        directRequest = ChatRequest.builder().messages(UserMessage.from("What is 6 * 7?"))
                .temperature(Sampling.PAPER.temperature()).topP(Sampling.PAPER.topP()).build();
        shepherdedRequest = ChatRequest.builder().messages(UserMessage.from("What is 6 * 7?")).build();
    }

    private static ChatModel shepherded(ChatModel model) {
        return ShepherdChatModel.builder().small(model).large(model).smallName("small").largeName("large")
                .policy(SmallOnly.create())
                .costModel(CostModel.localSmall(TokenPrices.perMillion(0.15, 0.60)))
                .ledger(CostLedger.totalsOnly())
                .build();
    }

    @TearDown
    public void stop() {
        server.close();
    }

    @Benchmark
    public ChatResponse http_direct() {
        return httpDirect.chat(directRequest);
    }

    @Benchmark
    public ChatResponse http_shepherded() {
        return httpShepherded.chat(shepherdedRequest);
    }

    @Benchmark
    public ChatResponse stub_direct() {
        return stubDirect.chat(directRequest);
    }

    @Benchmark
    public ChatResponse stub_shepherded() {
        return stubShepherded.chat(shepherdedRequest);
    }

    /** Answers at once with a fixed text and usage: no I/O, so only the decorator's own work is measured. */
    static final class StubChatModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            return ChatResponse.builder().aiMessage(AiMessage.from(ANSWER))
                    .metadata(ChatResponseMetadata.builder().tokenUsage(new TokenUsage(6, 11))
                            .finishReason(FinishReason.STOP).build()).build();
        }
    }
}
