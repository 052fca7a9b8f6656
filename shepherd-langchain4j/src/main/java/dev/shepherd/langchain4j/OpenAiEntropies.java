package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.openai.LogProb;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.shepherd.core.model.Entropy;
import java.util.ArrayList;
import java.util.List;

/**
 * Token entropies from OpenAI-style top log-probabilities. This is the only class that touches
 * {@code langchain4j-open-ai} (an optional dependency): {@link EntropyReader} loads it only after
 * checking that the OpenAI classes are on the class path. Thread-safe (stateless).
 */
final class OpenAiEntropies {

    private OpenAiEntropies() {
    }

    /** One entropy per generated token, or empty when the response carries no top log-probabilities. */
    static List<Double> of(ChatResponseMetadata metadata) {
        if (!(metadata instanceof OpenAiChatResponseMetadata openAi)) {
            return List.of();
        }
        List<LogProb> tokens = openAi.logProbs();
        if (tokens == null || tokens.isEmpty()) {
            return List.of();
        }
        List<Double> out = new ArrayList<>(tokens.size());
        for (LogProb token : tokens) {
            List<LogProb> top = token.topLogprobs();
            // Without alternatives the entropy of a position is unknowable; report none rather than zeros.
            if (top == null || top.isEmpty()) {
                return List.of();
            }
            double[] lps = new double[top.size()];
            for (int i = 0; i < lps.length; i++) {
                Double lp = top.get(i).logprob();
                // Servers round; a tiny positive value is a probability of 1.
                lps[i] = lp == null ? Double.NEGATIVE_INFINITY : Math.min(lp, 0.0);
            }
            out.add(Entropy.ofTopLogprobs(lps));
        }
        return out;
    }
}
