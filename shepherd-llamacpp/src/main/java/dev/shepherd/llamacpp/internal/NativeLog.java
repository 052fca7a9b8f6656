package dev.shepherd.llamacpp.internal;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes llama.cpp's model-loading log to slf4j (logger {@code dev.shepherd.llamacpp.native})
 * instead of stdout. Installed once per JVM because the native hook is global. The engine's
 * per-request server lines ("slot ...", "srv ...") bypass this hook in de.kherud:llama 4.2.0 and
 * still go to stdout.
 */
public final class NativeLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.shepherd.llamacpp.native");
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private NativeLog() {}

    /** Installs the slf4j hook on first call; later calls do nothing. */
    public static void installOnce() {
        if (INSTALLED.compareAndSet(false, true)) {
            LlamaModel.setLogger(LogFormat.TEXT, NativeLog::log);
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
