package dev.shepherd.cli.progress;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --progress} / {@code --no-progress} for the long verbs ({@code label}, live {@code eval}): whether the
 * progress line is drawn on stderr. Without either, it is drawn only when stderr is a terminal, so a redirected or
 * piped run keeps its stderr to warnings and errors.
 */
public final class ProgressOptions {

    @Option(names = "--progress", negatable = true, description = "Draw the progress line on stderr "
            + "(default: only when stderr is a terminal).")
    Boolean progress;

    /**
     * Where the progress line goes.
     *
     * @param err the command's stderr
     * @return {@code err}, or {@code null} for no progress line
     */
    public PrintWriter target(PrintWriter err) {
        return draw(progress, Terminal.stderrIsTerminal()) ? err : null;
    }

    /**
     * Whether to draw the line.
     *
     * @param option {@code --progress} (true), {@code --no-progress} (false) or neither (null)
     * @param terminal whether stderr is a terminal
     * @return whether to draw
     */
    public static boolean draw(Boolean option, boolean terminal) {
        return option != null ? option : terminal;
    }

    /** Whether stderr is a terminal. */
    static final class Terminal {
        private Terminal() {
        }

        static boolean stderrIsTerminal() {
            // Java 17 has no isatty for stderr: on Linux, /proc names the device behind file descriptor 2.
            Path fd2 = Path.of("/proc/self/fd/2");
            try {
                if (Files.isSymbolicLink(fd2)) {
                    String target = Files.readSymbolicLink(fd2).toString();
                    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
                }
            } catch (IOException | SecurityException e) {
                // fall through to the console check
            }
            return System.console() != null; // stdin and stdout are a terminal: stderr most likely too
        }
    }
}
