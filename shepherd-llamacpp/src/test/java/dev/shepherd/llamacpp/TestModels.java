package dev.shepherd.llamacpp;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates the shared test model; tests that need it are skipped when it is absent. */
final class TestModels {

    private TestModels() {}

    /** The tiny real GGUF model, or a skipped test with the reason. */
    static Path stories260K() {
        String shared = System.getProperty("shepherd.shared", "../shared");
        Path path = Path.of(shared, "models", "stories260K.gguf").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(path), "skipped: the llama.cpp tests need " + path
                + " (set the system property shepherd.shared to the folder holding models/stories260K.gguf)");
        return path;
    }

    /** A greedy model on stories260K with a small context, as the tests use it. */
    static LlamaCppChatModel greedy(ChatTemplate template) {
        return LlamaCppChatModel.builder()
                .modelPath(stories260K())
                .threads(2)
                .contextSize(512)
                .temperature(0)
                .chatTemplate(template)
                .build();
    }
}
