package dev.shepherd.onnx.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/** Reads facts from a HuggingFace {@code tokenizer.json} without running it. */
public final class Tokenizers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Tokenizers() {
    }

    /**
     * The number of token ids the tokenizer can emit: 1 + the largest id of its vocabulary
     * (WordPiece/BPE maps or Unigram lists) and added tokens.
     *
     * @throws IOException when the file cannot be read or is not JSON
     */
    public static int vocabularySize(Path tokenizerJson) throws IOException {
        return vocabularySize(JSON.readTree(tokenizerJson.toFile()));
    }

    /** {@link #vocabularySize(Path)} of an already parsed {@code tokenizer.json}. */
    public static int vocabularySize(JsonNode root) {
        int max = -1;
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            for (JsonNode id : (Iterable<JsonNode>) vocab::elements) {
                max = Math.max(max, id.asInt());
            }
        } else if (vocab.isArray()) {
            max = vocab.size() - 1;
        }
        for (JsonNode added : root.path("added_tokens")) {
            max = Math.max(max, added.path("id").asInt(-1));
        }
        return max + 1;
    }
}
