package dev.shepherd.onnx;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.onnx.internal.BundleFiles;
import dev.shepherd.onnx.internal.HeadsWeights;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A predictor bundle directory, and the one place that reads and writes its files:
 * <ul>
 *   <li>{@value #HEADS}: the query-only heads (routing, proactive shepherding) as an ONNX graph whose metadata
 *       properties are a {@link BundleMetadata};</li>
 *   <li>{@value #REACTIVE_HEADS} (optional): heads that also read the small model's samples (reactive
 *       shepherding);</li>
 *   <li>{@value #ROUTER} (optional): the N-way router ({@link OnnxRouter}), over the same encoder folder;</li>
 *   <li>{@value #ENCODER_DIR}{@code /model.onnx} and {@value #ENCODER_DIR}{@code /tokenizer.json}: the encoder
 *       both heads were trained over ({@link #encoderFiles()}); for a static encoder
 *       {@value #ENCODER_DIR}{@code /static-embeddings.bin} in place of the model ({@link #staticEncoder()});</li>
 *   <li>{@value #CALIBRATION} (optional): the decision rule calibrated for each {@link PredictorUse}
 *       ({@link BundleCalibration}), which {@link OnnxHintPredictor#load(Path)} applies;</li>
 *   <li>{@value #TRAINING} (optional): what the heads were trained on ({@link TrainingManifest}), so an
 *       evaluation can flag in-sample queries.</li>
 * </ul>
 * Training writes the heads ({@code TrainedPredictor.export}), calibration the rules, and serving reads all of
 * them through this type, so the format has one owner. Every write is atomic (a temporary sibling renamed into
 * place) and leaves new files with the user's umask, as any other file the user creates.
 *
 * <p>A handle on a path: creating one touches no file. Immutable and thread-safe; concurrent writes of the same
 * file leave one of them whole.
 */
public final class PredictorBundle {

    /** The query-only heads. */
    public static final String HEADS = "heads.onnx";
    /** The reactive heads, present when the labels had small-model samples. */
    public static final String REACTIVE_HEADS = "heads-reactive.onnx";
    /** The N-way router's graph ({@link OnnxRouter}), beside the same encoder folder as the heads. */
    public static final String ROUTER = "router.onnx";
    /** The folder of the encoder's {@code model.onnx} and {@code tokenizer.json}. */
    public static final String ENCODER_DIR = "encoder";
    /** The calibrated rules. */
    public static final String CALIBRATION = "shepherd-calibration.json";
    /** The training manifest. */
    public static final String TRAINING = "shepherd-training.json";

    private static final String CALIBRATION_FORMAT = "shepherd-calibration-2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    private PredictorBundle(Path dir) {
        this.dir = dir;
    }

    /** The bundle in {@code dir}, which need not exist yet. */
    public static PredictorBundle at(Path dir) {
        return new PredictorBundle(Objects.requireNonNull(dir, "dir"));
    }

    /** The bundle directory. */
    public Path dir() {
        return dir;
    }

    /** The encoder's files inside the bundle. */
    public EncoderFiles encoderFiles() {
        return EncoderFiles.inDirectory(dir.resolve(ENCODER_DIR));
    }

    /**
     * One heads file of a bundle and what it records.
     *
     * @param file     the ONNX file
     * @param metadata its metadata
     */
    public record HeadsFile(Path file, BundleMetadata metadata) {

        /** Checks the fields. */
        public HeadsFile {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(metadata, "metadata");
        }
    }

    /**
     * Reads and checks the heads files: {@value #HEADS} and, when present, {@value #REACTIVE_HEADS}; a bundle with
     * reactive heads alone has no {@value #HEADS}.
     *
     * @return one or two heads files, query-only first
     * @throws BundleException naming the file when the directory or {@value #HEADS} is missing, or a heads file is
     *                         not a parsable ONNX graph whose metadata describes its inputs
     */
    public List<HeadsFile> readHeads() {
        if (!Files.isDirectory(dir)) {
            throw new BundleException(dir, "bundle directory is missing");
        }
        List<HeadsFile> out = new ArrayList<>(2);
        boolean reactive = Files.isRegularFile(dir.resolve(REACTIVE_HEADS));
        if (Files.isRegularFile(dir.resolve(HEADS)) || !reactive) {
            out.add(readHeads(dir.resolve(HEADS)));
        }
        if (reactive) {
            out.add(readHeads(dir.resolve(REACTIVE_HEADS)));
        }
        return List.copyOf(out);
    }

    private static HeadsFile readHeads(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BundleException(file, file.getFileName() + " is missing (not a predictor bundle directory?)");
        }
        try {
            return new HeadsFile(file, metadataOf(Files.readAllBytes(file), file));
        } catch (IOException e) {
            throw new BundleException(file, "unreadable: " + e.getMessage(), e);
        }
    }

    /** The metadata of an ONNX heads graph, checked against the graph's inputs. */
    private static BundleMetadata metadataOf(byte[] onnx, Path file) {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new BundleException(file, "corrupt ONNX file: " + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new BundleException(file, "corrupt ONNX file: no graph");
        }
        Map<String, String> props = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(p -> props.put(p.getKey(), p.getValue()));
        BundleMetadata meta = BundleMetadata.fromProperties(props, file);
        Map<String, Long> widths = new LinkedHashMap<>();
        for (OnnxMl.ValueInfoProto in : model.getGraph().getInputList()) {
            List<OnnxMl.TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
            widths.put(in.getName(), dims.isEmpty() ? -1 : dims.get(dims.size() - 1).getDimValue());
        }
        checkWidth(file, widths, BundleFiles.INPUT_EMBEDDING, meta.embeddingDim());
        checkWidth(file, widths, BundleFiles.INPUT_FEATURES, meta.featureNames().size());
        return meta;
    }

    private static void checkWidth(Path file, Map<String, Long> widths, String input, int expected) {
        Long w = widths.get(input);
        if (w == null || w != expected) {
            throw new BundleException(file, "graph input '" + input + "' has width " + w + " but the metadata says "
                    + expected + " (inputs: " + widths + ")");
        }
    }

    /**
     * Writes a heads graph and places the encoder it was trained over beside it: the graph goes to
     * {@value #REACTIVE_HEADS} when its metadata names reactive features, else to {@value #HEADS}, so query-only
     * and reactive heads over one encoder share the bundle; the encoder's files are hard-linked where the file
     * system allows, else copied.
     *
     * @param headsOnnx the serialized ONNX heads graph with its {@link BundleMetadata} as metadata properties
     * @param encoder   the encoder's files
     * @return the heads file written
     * @throws BundleException when the graph is not a heads graph with valid metadata, or a file cannot be written
     */
    public Path writeHeads(byte[] headsOnnx, EncoderFiles encoder) {
        Objects.requireNonNull(headsOnnx, "headsOnnx");
        Objects.requireNonNull(encoder, "encoder");
        return writeGraph(headsFile(headsOnnx), headsOnnx, () -> placeTransformer(encoder), "predictor");
    }

    /** {@code encoder/}{@value StaticEncoder#TABLE_FILE}: the token table of a static-encoder bundle. */
    public Path staticTable() {
        return dir.resolve(ENCODER_DIR).resolve(StaticEncoder.TABLE_FILE);
    }

    /**
     * Loads the static encoder of a static-encoder bundle: {@link #staticTable()} with {@code encoder/tokenizer.json}.
     *
     * @throws BundleException naming the file when one is missing, corrupt or they do not belong together
     */
    public StaticEncoder staticEncoder() {
        return StaticEncoder.load(staticTable(), encoderFiles().tokenizer());
    }

    /**
     * Writes the heads of a static-encoder bundle as {@link #writeHeads} does, and places the static table and its
     * tokenizer under {@code encoder/} (hard-linked where the file system allows, else copied); a transformer left
     * there by an earlier export is removed (the metadata decides what loads, the file would only take space).
     *
     * @param headsOnnx the serialized ONNX heads graph with its {@link BundleMetadata} as metadata properties
     * @param table     the static token table
     * @param tokenizer its tokenizer.json
     * @return the heads file written
     * @throws BundleException when the graph is not a heads graph with valid metadata, or a file cannot be written
     */
    public Path writeStaticHeads(byte[] headsOnnx, Path table, Path tokenizer) {
        Objects.requireNonNull(headsOnnx, "headsOnnx");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(tokenizer, "tokenizer");
        return writeGraph(headsFile(headsOnnx), headsOnnx, () -> placeStatic(table, tokenizer), "predictor");
    }

    /**
     * Where a heads graph goes: {@value #REACTIVE_HEADS} when its metadata names reactive features, else
     * {@value #HEADS}.
     */
    private Path headsFile(byte[] headsOnnx) {
        Path file = dir.resolve(HEADS);
        return metadataOf(headsOnnx, file).isReactive() ? dir.resolve(REACTIVE_HEADS) : file;
    }

    /**
     * The weights stored in a heads file's initializers, for the plain-Java forward pass of the static tier.
     *
     * @throws BundleException naming the file when it is unreadable or lacks the expected weights
     */
    HeadsWeights readWeights(HeadsFile heads) {
        try {
            return BundleFiles.readWeights(Files.readAllBytes(heads.file()), heads.file(), heads.metadata());
        } catch (IOException e) {
            throw new BundleException(heads.file(), "unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Writes an N-way router graph to {@value #ROUTER} and places the encoder it was trained over under
     * {@code encoder/} as the heads writes do (hard-linked where the file system allows, else copied):
     * {@code model.onnx} + {@code tokenizer.json} for a {@link TextEncoder}, {@code static-embeddings.bin} +
     * {@code tokenizer.json} for a {@link StaticEncoder}; the other kind's file, left by an earlier export, is removed
     * (the metadata decides what loads). A router and a hint predictor share a bundle when they share the encoder.
     *
     * @param routerOnnx the serialized ONNX router graph with its metadata properties
     * @param encoder    the encoder the router was trained over
     * @return the router file written
     * @throws BundleException when a file cannot be written
     */
    public Path writeRouter(byte[] routerOnnx, QueryEncoder encoder) {
        Objects.requireNonNull(routerOnnx, "routerOnnx");
        Objects.requireNonNull(encoder, "encoder");
        return writeGraph(dir.resolve(ROUTER), routerOnnx, encoder instanceof StaticEncoder s
                ? () -> placeStatic(s.table(), s.tokenizer()) : () -> placeTransformer(((TextEncoder) encoder).files()),
                "router");
    }

    /** Places an encoder's files under {@code encoder/}. */
    @FunctionalInterface
    private interface Placement {
        void place() throws IOException;
    }

    /** Writes a graph atomically, then places the encoder it reads beside it. */
    private Path writeGraph(Path file, byte[] onnx, Placement encoder, String what) {
        try {
            Files.createDirectories(dir.resolve(ENCODER_DIR));
            writeAtomically(file, onnx);
            encoder.place();
        } catch (IOException e) {
            throw new BundleException(file, "cannot write the " + what + " bundle: " + e.getMessage(), e);
        }
        return file;
    }

    /** A transformer's files into {@code encoder/}; a static table left by an earlier static export is removed. */
    private void placeTransformer(EncoderFiles encoder) throws IOException {
        EncoderFiles target = encoderFiles();
        place(encoder.model(), target.model());
        place(encoder.tokenizer(), target.tokenizer());
        Files.deleteIfExists(staticTable());
    }

    /** A static table and its tokenizer into {@code encoder/}; a transformer left by an earlier export is removed. */
    private void placeStatic(Path table, Path tokenizer) throws IOException {
        place(table, staticTable());
        place(tokenizer, encoderFiles().tokenizer());
        Files.deleteIfExists(encoderFiles().model());
    }

    private static void place(Path source, Path target) throws IOException {
        if (Files.exists(target) && Files.isSameFile(source, target)) {
            return;
        }
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads {@value #CALIBRATION}; empty when the bundle has none. A file written before uses existed
     * ({@code {"alpha":…,"eta_hint":…,"max_hint":…}}) is read as one rule for every use.
     *
     * @throws BundleException naming the file when it is unreadable or malformed
     */
    public BundleCalibration readCalibration() {
        Path file = dir.resolve(CALIBRATION);
        if (!Files.isRegularFile(file)) {
            return BundleCalibration.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            Map<PredictorUse, BundleCalibration.Entry> entries = new EnumMap<>(PredictorUse.class);
            if (root.has("uses")) {
                for (Map.Entry<String, JsonNode> f : iterable(root.get("uses"))) {
                    entries.put(PredictorUse.parse(f.getKey()), entryFromJson(f.getValue()));
                }
            } else { // the single-rule layout of earlier versions: one rule for every use
                BundleCalibration.Entry e = entryFromJson(root);
                for (PredictorUse u : PredictorUse.values()) {
                    entries.put(u, e);
                }
            }
            return BundleCalibration.of(entries);
        } catch (IOException | IllegalArgumentException e) {
            throw new BundleException(file, "unreadable calibration: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@value #CALIBRATION}, replacing any earlier one; creates the directory when needed.
     *
     * @throws BundleException naming the file when it cannot be written
     */
    public void writeCalibration(BundleCalibration calibration) {
        Objects.requireNonNull(calibration, "calibration");
        ObjectNode root = JSON.createObjectNode();
        root.put("format", CALIBRATION_FORMAT);
        ObjectNode uses = root.putObject("uses");
        calibration.entries().forEach((use, e) -> uses.set(use.key(), entryToJson(e)));
        writeJson(CALIBRATION, root, "calibration");
    }

    private static ObjectNode entryToJson(BundleCalibration.Entry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("alpha", e.rule().alpha());
        n.put("eta_hint", e.rule().etaHint());
        n.put("max_hint", e.rule().maxHint());
        n.put("hint_scale", e.rule().hintScale());
        if (e.agreement() != null) {
            n.put("agreement", e.agreement());
        }
        if (e.samples() != null) {
            n.put("samples", e.samples());
        }
        n.put("accuracy", e.accuracy());
        n.put("mean_cost_usd", e.meanCostUsd());
        n.put("records", e.records());
        n.put("objective", e.objective());
        ArrayNode a = n.putArray("assumptions");
        e.assumptions().forEach(a::add);
        return n;
    }

    private static BundleCalibration.Entry entryFromJson(JsonNode n) {
        for (String key : List.of("alpha", "eta_hint", "max_hint")) {
            if (!n.hasNonNull(key) || !n.get(key).isNumber()) {
                throw new IllegalArgumentException("field '" + key + "' must be a number but was " + n.get(key));
            }
        }
        HintDecisionRule rule = new HintDecisionRule(n.get("alpha").asDouble(), n.get("eta_hint").asInt(),
                n.get("max_hint").asInt(), n.path("hint_scale").asDouble(1.0));
        List<String> assumptions = new ArrayList<>();
        n.path("assumptions").forEach(a -> assumptions.add(a.asText()));
        return new BundleCalibration.Entry(rule, n.hasNonNull("agreement") ? n.get("agreement").asInt() : null,
                n.hasNonNull("samples") ? n.get("samples").asInt() : null, n.path("accuracy").asDouble(Double.NaN),
                n.path("mean_cost_usd").asDouble(Double.NaN), n.path("records").asInt(0),
                n.path("objective").asText(""), assumptions);
    }

    /**
     * Reads {@value #TRAINING}; empty when the bundle has none (it was trained from labels, or before manifests).
     *
     * @throws BundleException naming the file when it is unreadable or malformed
     */
    public Optional<TrainingManifest> readTrainingManifest() {
        Path file = dir.resolve(TRAINING);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode hashes = root.get("trained_on_prompt_sha256");
            if (hashes == null || !hashes.isArray()) {
                throw new IllegalArgumentException("field 'trained_on_prompt_sha256' must be an array");
            }
            Set<String> trained = new LinkedHashSet<>();
            hashes.forEach(h -> trained.add(h.asText()));
            return Optional.of(new TrainingManifest(root.path("source").asText(""), root.path("label").asText(""),
                    trained));
        } catch (IOException | IllegalArgumentException e) {
            throw new BundleException(file, "unreadable training manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@value #TRAINING}, replacing any earlier one; creates the directory when needed.
     *
     * @throws BundleException naming the file when it cannot be written
     */
    public void writeTrainingManifest(TrainingManifest manifest) {
        Objects.requireNonNull(manifest, "manifest");
        ObjectNode root = JSON.createObjectNode();
        root.put("source", manifest.source());
        root.put("label", manifest.label());
        ArrayNode hashes = root.putArray("trained_on_prompt_sha256");
        manifest.trainedOnPromptSha256().forEach(hashes::add);
        writeJson(TRAINING, root, "training manifest");
    }

    private void writeJson(String name, ObjectNode root, String what) {
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            writeAtomically(file, root.toPrettyString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BundleException(file, "cannot write " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes through a temporary sibling renamed into place. The temporary file is created as an ordinary file,
     * not with {@code Files.createTempFile}, whose private permissions the rename would keep.
     */
    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".part");
        try {
            try (OutputStream o = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                o.write(bytes);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }

    @Override
    public String toString() {
        return "PredictorBundle[" + dir + "]";
    }

    /**
     * What a bundle's heads were trained on, as SHA-256 digests of the prompts (not the prompts themselves), so an
     * evaluation over the same data can say how many of its queries are in-sample.
     *
     * @param source                what was read (a trace path or URL)
     * @param label                 what the label meant, in words
     * @param trainedOnPromptSha256 hex SHA-256 of each prompt the heads were trained on (UTF-8)
     */
    public record TrainingManifest(String source, String label, Set<String> trainedOnPromptSha256) {

        /** Checks and copies the fields. */
        public TrainingManifest {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(label, "label");
            trainedOnPromptSha256 = Collections.unmodifiableSet(new LinkedHashSet<>(trainedOnPromptSha256));
        }

        /** A manifest of these prompts, hashed. */
        public static TrainingManifest of(String source, String label, Collection<String> prompts) {
            Set<String> hashes = new LinkedHashSet<>();
            prompts.forEach(p -> hashes.add(sha256(p)));
            return new TrainingManifest(source, label, hashes);
        }

        /** Whether the heads were trained on this prompt. */
        public boolean trainedOn(String prompt) {
            return trainedOnPromptSha256.contains(sha256(prompt));
        }

        /** Hex SHA-256 of the text's UTF-8 bytes. */
        public static String sha256(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
    }
}
