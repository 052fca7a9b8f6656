package dev.shepherd.onnx.internal;

import ai.djl.Device;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/**
 * Opens ONNX Runtime sessions through its own Java API ({@code ai.onnxruntime}), with the options that make a
 * small model fast and cheap on a CPU: graph optimisation level ALL, sequential execution, one inter-op thread,
 * and idle intra-op threads that sleep instead of spinning (a spinning pool burns a core per thread between
 * calls; with it off, CPU per decision stays close to wall time × threads actually busy). Stateless.
 */
public final class OrtSessions {

    /** Session config key: let intra-op worker threads spin while waiting for work. */
    public static final String INTRA_OP_SPINNING = "session.intra_op.allow_spinning";
    /** Session config key: let inter-op worker threads spin while waiting for work. */
    public static final String INTER_OP_SPINNING = "session.inter_op.allow_spinning";

    private OrtSessions() {
    }

    /**
     * The process's ONNX Runtime environment, created by DJL's engine first (see {@link Djl#start()}) so that DJL
     * and this API share one environment.
     */
    public static OrtEnvironment environment() {
        Djl.start();
        return OrtEnvironment.getEnvironment();
    }

    /**
     * Opens a session.
     *
     * @param model   the {@code .onnx} file
     * @param device  CPU, or a GPU (CUDA execution provider; needs ONNX Runtime's GPU build)
     * @param threads intra-op threads; 0 lets ONNX Runtime choose (one per physical core)
     * @param arena   ONNX Runtime's CPU memory arena and memory-pattern planning (off: lower resident memory)
     * @throws OrtException when ONNX Runtime cannot load the model or the device
     */
    public static OrtSession open(Path model, Device device, int threads, boolean arena) throws OrtException {
        OrtEnvironment env = environment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setInterOpNumThreads(1);
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
            }
            so.addConfigEntry(INTRA_OP_SPINNING, "0");
            so.addConfigEntry(INTER_OP_SPINNING, "0");
            if (!arena) {
                // variable batch shapes make the arena and memory patterns grow; trade a little speed for RSS
                so.setCPUArenaAllocator(false);
                so.setMemoryPatternOptimization(false);
            }
            if (device != null && device.isGpu()) {
                so.addCUDA(device.getDeviceId());
            }
            return env.createSession(model.toString(), so);
        }
    }
}
