package dev.shepherd.onnx;

/** One MiniLM encoder for the whole test run: loading it costs ~1 s. */
public final class SharedEncoder {

    private static TextEncoder encoder;

    private SharedEncoder() {
    }

    public static synchronized TextEncoder get() {
        if (encoder == null) {
            encoder = TextEncoder.miniLm();
            Runtime.getRuntime().addShutdownHook(new Thread(encoder::close));
        }
        return encoder;
    }
}
