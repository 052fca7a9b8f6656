package dev.shepherd.onnx.internal;

import ai.djl.engine.Engine;

/** DJL start-up in the order STACK.md prescribes. Thread-safe. */
public final class Djl {

    private static volatile boolean started;

    private Djl() {
    }

    /**
     * Sets {@code ai.djl.offline=true} when unset (DJL otherwise phones home) and creates DJL's
     * OnnxRuntime engine before anything else can create an {@code OrtEnvironment}.
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
                started = true;
            }
        }
    }
}
