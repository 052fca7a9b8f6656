package dev.shepherd.llamacpp.internal;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps de.kherud:llama and llama.cpp off stdout and stderr unless the logger {@code dev.shepherd.llamacpp.native}
 * is at DEBUG.
 *
 * <ul>
 *   <li>de.kherud:llama 4.2.0's {@code LlamaLoader} announces {@code Extracted 'libjllama.so' to '...'} with
 *       {@code System.out.println} when {@code LlamaModel}'s class initialiser loads the native library (on macOS it
 *       also prints the Metal resource path). {@link #installOnce()} runs that initialiser once with
 *       {@code System.out} captured: the loader's lines go to this logger at DEBUG, anything else another thread
 *       printed meanwhile is written back to stdout afterwards.</li>
 *   <li>llama.cpp's model-loading and per-request server log ({@code llama_model_loader: ...}, {@code srv ...},
 *       {@code slot ...}) is written by llama.cpp's own {@code common_log} to stderr; the
 *       {@link LlamaModel#setLogger} hook only sees what reaches {@code llama_log_set} before the model load
 *       replaces it. {@link #quiet()} tells the model load to pass {@code --log-disable} unless DEBUG is on.</li>
 * </ul>
 */
public final class NativeLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.shepherd.llamacpp.native");
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private NativeLog() {}

    /**
     * Whether llama.cpp's own log should be switched off: true unless {@code dev.shepherd.llamacpp.native} logs at
     * DEBUG.
     *
     * @return whether to pass {@code --log-disable}
     */
    public static boolean quiet() {
        return !LOG.isDebugEnabled();
    }

    /** Loads the native library with stdout captured and installs the slf4j hook, on first call only. */
    public static void installOnce() {
        if (INSTALLED.compareAndSet(false, true)) {
            loadQuietly();
            LlamaModel.setLogger(LogFormat.TEXT, NativeLog::log);
        }
    }

    private static void loadQuietly() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Class.forName(LlamaModel.class.getName(), true, LlamaModel.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e); // it is on the class path: LlamaModel.class compiled
        } finally {
            System.setOut(stdout);
        }
        StringBuilder others = new StringBuilder();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\\R")) {
            if (line.startsWith("Extracted '") || line.contains("ggml-metal") || line.contains("libjllama")) {
                LOG.debug("{}", line);
            } else if (!line.isEmpty()) {
                others.append(line).append(System.lineSeparator());
            }
        }
        if (others.length() > 0) {
            stdout.print(others);
            stdout.flush();
        }
    }

    private static void log(LogLevel level, String message) {
        String line = message.stripTrailing();
        if (line.isEmpty()) {
            return;
        }
        switch (level) {
            case ERROR -> LOG.error(line);
            case WARN -> LOG.warn(line);
            case INFO -> LOG.debug(line);
            default -> LOG.trace(line);
        }
    }
}
