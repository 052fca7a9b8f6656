package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads per-token entropies from a response's metadata: from {@link TokenEntropyMetadata} when the
 * model implements it (in-process models), else from OpenAI top log-probabilities when
 * {@code langchain4j-open-ai} is on the class path. The OpenAI classes are an optional dependency:
 * their presence is checked once by name, and only then is {@link OpenAiEntropies} (which links
 * against them) loaded; no method is called reflectively. Thread-safe.
 */
final class EntropyReader {

    private static final Logger log = LoggerFactory.getLogger(EntropyReader.class);
    private static final boolean OPEN_AI_PRESENT =
            isPresent("dev.langchain4j.model.openai.OpenAiChatResponseMetadata");

    private EntropyReader() {
    }

    /** Entropies in nats, one per output token; empty when the metadata carries none. Never throws. */
    static List<Double> read(ChatResponseMetadata metadata) {
        try {
            if (metadata instanceof TokenEntropyMetadata t) {
                List<Double> e = t.tokenEntropies();
                return e == null ? List.of() : e;
            }
            return OPEN_AI_PRESENT ? OpenAiEntropies.of(metadata) : List.of();
        } catch (RuntimeException | LinkageError e) {
            // Entropy is an optional feature: a malformed log-probability (or a half-present optional
            // dependency) never fails the call.
            log.debug("ignoring unusable log-probabilities: {}", e.toString());
            return List.of();
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, EntropyReader.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
