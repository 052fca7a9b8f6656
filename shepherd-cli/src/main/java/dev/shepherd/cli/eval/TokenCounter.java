package dev.shepherd.cli.eval;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.shepherd.cli.InputException;

import java.util.Locale;

/**
 * Counts tokens of recorded text, for traces that carry no token counts. Implementations are thread-safe.
 */
public interface TokenCounter {

    /** Returns the tokenizer's name as stated in outputs (e.g. {@code cl100k_base}). */
    String name();

    /**
     * Counts the tokens of {@code text}.
     *
     * @param text the text
     * @return the token count, {@code >= 0}
     */
    int count(String text);

    /** Returns the GPT-4-family tokenizer {@code cl100k_base} (jtokkit), the default for RouteLLM traces. */
    static TokenCounter cl100k() {
        return of("cl100k_base");
    }

    /**
     * Returns a jtokkit tokenizer by encoding name.
     *
     * @param name {@code cl100k_base}, {@code o200k_base}, {@code p50k_base}, {@code p50k_edit} or {@code r50k_base}
     * @return the counter
     * @throws InputException for an unknown name
     */
    static TokenCounter of(String name) {
        EncodingType type = EncodingType.fromName(name.toLowerCase(Locale.ROOT)).orElseThrow(() ->
                new InputException("--tokenizer", 0, null, "unknown tokenizer '" + name
                        + "'; expected cl100k_base, o200k_base, p50k_base, p50k_edit or r50k_base"));
        Encoding enc = Encodings.newLazyEncodingRegistry().getEncoding(type);
        String label = type.getName();
        return new TokenCounter() {
            @Override
            public String name() {
                return label;
            }

            @Override
            public int count(String text) {
                return text.isEmpty() ? 0 : enc.countTokensOrdinary(text);
            }
        };
    }
}
