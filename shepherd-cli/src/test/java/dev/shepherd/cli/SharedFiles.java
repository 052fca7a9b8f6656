package dev.shepherd.cli;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates third-party files in {@code ../shared}; tests skip with a message when they are absent. */
public final class SharedFiles {

    private SharedFiles() {
    }

    /** Returns the shared directory ({@code shepherd.shared} system property, else {@code ../shared}). */
    public static Path root() {
        String p = System.getProperty("shepherd.shared");
        return Path.of(p != null ? p : "../shared").toAbsolutePath().normalize();
    }

    /** Returns a shared file, skipping the calling test when it is absent. */
    public static Path require(String relative) {
        Path f = root().resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(f), () -> "skipped: " + f + " is absent (third-party data lives "
                + "beside the project in ../shared, not in the repository)");
        return f;
    }
}
