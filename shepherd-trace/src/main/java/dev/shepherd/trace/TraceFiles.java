package dev.shepherd.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a trace file for a format's reader, with the same errors for every format. Stateless. */
final class TraceFiles {

    /** A format's reader of trace text. */
    interface Parser {
        Trace read(Reader reader, String source) throws IOException;
    }

    private TraceFiles() {
    }

    /**
     * Reads {@code file} as UTF-8 with {@code parser}.
     *
     * @throws TraceFormatException when the file is missing or the parser finds it malformed
     * @throws UncheckedIOException when it cannot be read
     */
    static Trace read(Path file, String source, Parser parser) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parser.read(in, source);
        } catch (NoSuchFileException e) {
            throw new TraceFormatException(source, 0, null, "trace file not found");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + source + ": " + e.getMessage(), e);
        }
    }
}
