package dev.shepherd.onnx.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import dev.shepherd.onnx.BundleException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Runs {@code heads.onnx} through DJL's ONNX Runtime engine. Thread-safe: predictors are pooled.
 */
public final class HeadsRunner implements AutoCloseable {

    /** A batch of inputs, row-major. */
    public record Input(float[] embeddings, float[] features, int rows, int embeddingDim, int featureDim) {
    }

    private final Path file;
    private final ZooModel<Input, float[][]> model;
    private final ConcurrentLinkedDeque<Predictor<Input, float[][]>> pool = new ConcurrentLinkedDeque<>();

    public HeadsRunner(Path file, Device device) {
        Djl.start();
        this.file = file;
        try {
            this.model = Criteria.builder().setTypes(Input.class, float[][].class).optModelPath(file)
                    .optEngine("OnnxRuntime").optDevice(device).optTranslator(new Translator())
                    .optOption("intraOpNumThreads", "1").optOption("interOpNumThreads", "1").build().loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new BundleException(file, "ONNX Runtime cannot load the heads: " + e.getMessage(), e);
        }
    }

    /** {logits[rows], logSizes[rows]}. */
    public float[][] run(Input input) {
        Predictor<Input, float[][]> p = pool.pollFirst();
        if (p == null) {
            p = model.newPredictor();
        }
        try {
            float[][] out = p.predict(input);
            pool.addFirst(p);
            return out;
        } catch (TranslateException | RuntimeException e) {
            p.close();
            throw new BundleException(file, "ONNX Runtime failed on the heads: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        Predictor<Input, float[][]> p;
        while ((p = pool.pollFirst()) != null) {
            p.close();
        }
        model.close();
    }

    private static final class Translator implements NoBatchifyTranslator<Input, float[][]> {

        @Override
        public NDList processInput(TranslatorContext ctx, Input in) {
            NDManager m = ctx.getNDManager();
            NDArray emb = m.create(in.embeddings(), new Shape(in.rows(), in.embeddingDim()));
            emb.setName(BundleFiles.INPUT_EMBEDDING);
            NDArray feats = m.create(in.features(), new Shape(in.rows(), in.featureDim()));
            feats.setName(BundleFiles.INPUT_FEATURES);
            return new NDList(emb, feats);
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            NDArray logit = list.get(BundleFiles.OUTPUT_LOGIT);
            NDArray size = list.get(BundleFiles.OUTPUT_LOG_SIZE);
            if (logit == null || size == null) {
                throw new IllegalStateException("heads graph lacks outputs '" + BundleFiles.OUTPUT_LOGIT + "' / '"
                        + BundleFiles.OUTPUT_LOG_SIZE + "'");
            }
            return new float[][] {logit.toFloatArray(), size.toFloatArray()};
        }
    }
}
