package dev.shepherd.onnx.internal;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** DJL start-up in the order STACK.md prescribes. Thread-safe. */
public final class Djl {

    private static volatile boolean started;

    private Djl() {
    }

    /**
     * Sets {@code ai.djl.offline=true} when unset (DJL otherwise phones home) and creates DJL's
     * OnnxRuntime engine before anything else can create an {@code OrtEnvironment}; then removes the native
     * libraries ONNX Runtime extracted (see {@link #removeExtractedLibraries()}).
     */
    public static void start() {
        if (started) {
            return;
        }
        synchronized (Djl.class) {
            if (!started) {
                if (System.getProperty("ai.djl.offline") == null) {
                    System.setProperty("ai.djl.offline", "true");
                }
                Engine.getEngine("OnnxRuntime");
                removeExtractedLibraries();
                started = true;
            }
        }
    }

    /**
     * ONNX Runtime 1.21's Java loader ({@code ai.onnxruntime.OnnxRuntime.init}) extracts its native libraries into
     * a fresh {@code java.io.tmpdir/onnxruntime-java<digits>} folder and asks {@code File.deleteOnExit} to remove the
     * libraries and then the folder. The JVM deletes on exit in reverse order of registration, so it tries the
     * folder first, while the libraries are still in it, and every run leaves an empty folder behind. Once the
     * libraries are loaded, their files are not needed (Linux and macOS keep a deleted, loaded library mapped):
     * deleting them now leaves the folder empty, so the folder's own delete-on-exit succeeds. Skipped on Windows,
     * which cannot delete a loaded library; best effort everywhere.
     */
    static void removeExtractedLibraries() {
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return;
        }
        Path dir;
        try {
            Field field = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
            field.setAccessible(true);
            dir = (Path) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return; // another ONNX Runtime version: leave its files alone
        }
        if (dir == null || !Files.isDirectory(dir)
                || !dir.getFileName().toString().startsWith("onnxruntime-java")) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // best effort: at worst the folder stays, as it did before
        }
    }
}
