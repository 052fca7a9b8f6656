package dev.shepherd.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Files under the shared data folder; tests skip when they are absent. */
public final class SharedData {

    private SharedData() {
    }

    public static Path routeLlmTrace() {
        String root = System.getProperty("shepherd.shared", "../shared");
        Path file = Path.of(root, "data", "routellm_gsm8k_responses.dev.csv");
        Assumptions.assumeTrue(Files.isRegularFile(file),
                "skipped: RouteLLM trace not found at " + file.toAbsolutePath() + " (set -Dshepherd.shared)");
        return file;
    }
}
