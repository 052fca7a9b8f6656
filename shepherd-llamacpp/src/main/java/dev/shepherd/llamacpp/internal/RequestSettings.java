package dev.shepherd.llamacpp.internal;

import de.kherud.llama.InferenceParameters;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import java.util.List;
import java.util.Objects;

/**
 * Validated per-request generation settings, and their llama.cpp form. Immutable.
 *
 * @param temperature sampling temperature, 0 for greedy
 * @param topP nucleus-sampling mass
 * @param topK top-k, or null for the engine default
 * @param frequencyPenalty frequency penalty, or null
 * @param presencePenalty presence penalty, or null
 * @param maxOutputTokens the exact output cap
 * @param stopSequences stop sequences, each non-empty
 */
public record RequestSettings(double temperature, double topP, Integer topK, Double frequencyPenalty,
        Double presencePenalty, int maxOutputTokens, List<String> stopSequences) {

    /**
     * Validates merged request parameters (defaults already applied).
     *
     * @throws IllegalArgumentException naming the field and value when one is out of range
     * @throws UnsupportedFeatureException for tools and non-text response formats
     */
    public static RequestSettings of(ChatRequestParameters p) {
        if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            throw new UnsupportedFeatureException("tools are not supported by LlamaCppChatModel");
        }
        if (p.responseFormat() != null && p.responseFormat().type() != ResponseFormatType.TEXT) {
            throw new UnsupportedFeatureException(
                    "response format " + p.responseFormat().type() + " is not supported by LlamaCppChatModel");
        }
        int cap = Objects.requireNonNull(p.maxOutputTokens(), "maxOutputTokens");
        if (cap < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be at least 1 but was " + cap);
        }
        double temperature = Objects.requireNonNull(p.temperature(), "temperature");
        Checks.requireTemperature(temperature);
        double topP = Objects.requireNonNull(p.topP(), "topP");
        Checks.requireTopP(topP);
        if (p.topK() != null && p.topK() < 1) {
            throw new IllegalArgumentException("topK must be at least 1 but was " + p.topK());
        }
        Checks.requireFinite("frequencyPenalty", p.frequencyPenalty());
        Checks.requireFinite("presencePenalty", p.presencePenalty());
        List<String> stops = p.stopSequences() == null ? List.of() : p.stopSequences();
        for (String stop : stops) {
            if (stop == null || stop.isEmpty()) {
                throw new IllegalArgumentException("stopSequences must not contain null or empty strings but was " + stops);
            }
        }
        return new RequestSettings(temperature, topP, p.topK(), p.frequencyPenalty(), p.presencePenalty(), cap,
                List.copyOf(stops));
    }

    /** The engine parameters for one completion of {@code prompt}. */
    public InferenceParameters toInference(String prompt, int seed, boolean cachePrompt) {
        InferenceParameters inference = new InferenceParameters(prompt)
                .setNPredict(maxOutputTokens)
                .setTemperature((float) temperature)
                .setTopP((float) topP)
                .setSeed(seed)
                .setCachePrompt(cachePrompt);
        if (topK != null) {
            inference.setTopK(topK);
        }
        if (frequencyPenalty != null) {
            inference.setFrequencyPenalty(frequencyPenalty.floatValue());
        }
        if (presencePenalty != null) {
            inference.setPresencePenalty(presencePenalty.floatValue());
        }
        return inference;
    }
}
