package dev.shepherd.examples;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.langchain4j.ShepherdChatResponseMetadata;
import java.time.Duration;
import java.util.Locale;

/**
 * Asks one question through a shepherded pair of models: a local Ollama model answers, and when
 * its three samples disagree, a 32-token hint is bought from an OpenAI-compatible model.
 *
 * <pre>
 * OPENAI_API_KEY=... java -cp examples/target/examples.jar:... dev.shepherd.examples.AskWithShepherding \
 *     http://localhost:11434 llama3.2:3b https://api.openai.com/v1 gpt-4o-mini "What is 17 * 23?"
 * </pre>
 *
 * The key is read from the environment variable {@code OPENAI_API_KEY} and never printed.
 */
public final class AskWithShepherding {

    private AskWithShepherding() {
    }

    /** Builds the shepherded model; the same code as the project README's usage snippet. */
    public static ShepherdChatModel shepherded(String ollamaUrl, String smallModel, String openAiUrl,
                                               String largeModel, String apiKey, CostLedger ledger) {
        ChatModel small = OllamaChatModel.builder()
                .baseUrl(ollamaUrl).modelName(smallModel)
                .timeout(Duration.ofSeconds(60)).maxRetries(1)
                .build();
        ChatModel large = OpenAiChatModel.builder()
                .baseUrl(openAiUrl).apiKey(apiKey).modelName(largeModel)
                .timeout(Duration.ofSeconds(30)).maxRetries(1)
                .build();
        return ShepherdChatModel.builder()
                .small(small)
                .large(large)
                .policy(ReactiveShepherding.builder()
                        .samples(3).agreement(2)
                        // Without a trained predictor: whenever the samples disagree, buy 32 tokens.
                        .predictor(HintPredictor.constant(1.0, 32))
                        .rule(new HintDecisionRule(0.5, 64, 512))
                        .build())
                .costModel(CostModel.localSmall(TokenPrices.perMillion(0.15, 0.60)))
                .spendCap(SpendCap.of(1.00, Duration.ofHours(1)))
                .ledger(ledger)
                .build();
    }

    /** Asks and returns a one-line summary: decision, cost and answer. */
    public static String ask(ShepherdChatModel model, String question) {
        ChatResponse response = model.chat(UserMessage.from(question));
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        return String.format(Locale.ROOT, "%s, $%.6f, notes %s: %s",
                md.decision(), md.costUsd(), md.notes(), response.aiMessage().text());
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: AskWithShepherding OLLAMA_URL SMALL_MODEL OPENAI_URL LARGE_MODEL QUESTION");
            System.exit(2);
        }
        String key = System.getenv("OPENAI_API_KEY");
        if (key == null || key.isBlank()) {
            System.err.println("environment variable OPENAI_API_KEY is not set");
            System.exit(2);
        }
        CostLedger ledger = CostLedger.create();
        System.out.println(ask(shepherded(args[0], args[1], args[2], args[3], key, ledger), args[4]));
        System.out.println("ledger: " + ledger.totals());
    }
}
