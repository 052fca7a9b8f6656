package dev.shepherd.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.onnx.internal.BundleFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The calibrated decision rules of a bundle, one per {@link PredictorUse}, kept in
 * {@value #FILE} beside the heads: calibration chooses α, η_hint (and, for reactive shepherding, k)
 * without touching the trained weights. {@link OnnxHintPredictor#rule(PredictorUse)} applies them on load.
 *
 * <p>A file written before uses existed ({@code {"alpha":…,"eta_hint":…,"max_hint":…}}) is read as one rule for
 * every use. Immutable and thread-safe.
 */
public final class BundleCalibration {

    /** The file name inside a bundle directory. */
    public static final String FILE = "shepherd-calibration.json";
    private static final String FORMAT = "shepherd-calibration-2";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<PredictorUse, Entry> entries;

    private BundleCalibration(Map<PredictorUse, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new EnumMap<>(entries));
    }

    /** No calibrated rule for any use. */
    public static BundleCalibration empty() {
        return new BundleCalibration(new EnumMap<>(PredictorUse.class));
    }

    /** The calibrated rule for a use, if any. */
    public Optional<Entry> entry(PredictorUse use) {
        return Optional.ofNullable(entries.get(use));
    }

    /** Every calibrated use, in enum order. */
    public Map<PredictorUse, Entry> entries() {
        return entries;
    }

    /** This calibration with the entry of one use replaced. */
    public BundleCalibration with(PredictorUse use, Entry entry) {
        Map<PredictorUse, Entry> copy = new EnumMap<>(PredictorUse.class);
        copy.putAll(entries);
        copy.put(Objects.requireNonNull(use, "use"), Objects.requireNonNull(entry, "entry"));
        return new BundleCalibration(copy);
    }

    /**
     * The entry for the cheapest rule of a calibration that reaches {@code share} × LLM-only accuracy on its records
     * with a margin of {@code marginSe} standard errors ({@link Calibration#minimiseCost(double, double)}).
     */
    public static Entry cheapestReaching(Calibration calibration, double share, double marginSe) {
        CalibrationResult r = calibration.minimiseCost(share, marginSe);
        boolean reactive = calibration.use() == PredictorUse.REACTIVE;
        String objective = String.format(Locale.ROOT, "min cost at accuracy >= %s x LLM-only%s", share,
                marginSe > 0 ? " with a margin of " + marginSe + " standard error(s)" : "");
        List<String> assumptions = new ArrayList<>(calibration.assumptions());
        double floor = share * calibration.largeOnly().accuracy();
        if (r.accuracy() < floor - 1e-12) {
            assumptions.add(String.format(Locale.ROOT, "no rule reaches the floor %.3f on these records; "
                    + "this is the rule with the best lower bound (accuracy %.3f)", floor, r.accuracy()));
        }
        return new Entry(r.rule(), reactive ? r.agreement() : null, null, r.accuracy(), r.meanCost(),
                calibration.records(), objective, assumptions);
    }

    /**
     * Reads {@value #FILE} of a bundle; empty when the bundle has none.
     *
     * @throws BundleException naming the file when it is unreadable or malformed
     */
    public static BundleCalibration read(Path bundleDir) {
        Path file = bundleDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            Map<PredictorUse, Entry> out = new EnumMap<>(PredictorUse.class);
            if (root.has("uses")) {
                root.get("uses").fields().forEachRemaining(f -> out.put(PredictorUse.parse(f.getKey()),
                        Entry.fromJson(f.getValue(), file)));
            } else { // the single-rule layout of earlier versions: one rule for every use
                Entry e = Entry.fromJson(root, file);
                for (PredictorUse u : PredictorUse.values()) {
                    out.put(u, e);
                }
            }
            return new BundleCalibration(out);
        } catch (IOException | IllegalArgumentException e) {
            throw new BundleException(file, "unreadable calibration: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@value #FILE} into the bundle directory atomically, with the user's umask (as the rest of the bundle).
     *
     * @throws BundleException naming the file when it cannot be written
     */
    public void write(Path bundleDir) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode uses = root.putObject("uses");
        entries.forEach((use, e) -> uses.set(use.key(), e.toJson()));
        Path file = bundleDir.resolve(FILE);
        try {
            Files.createDirectories(bundleDir);
            BundleFiles.writeAtomically(file,
                    root.toPrettyString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BundleException(file, "cannot write calibration: " + e.getMessage(), e);
        }
    }

    /**
     * One calibrated rule and what it was measured to do on the calibration records.
     *
     * @param rule        α, η_hint, N_max
     * @param agreement   k for reactive shepherding (how many of the K samples must agree), or {@code null}
     * @param samples     K the agreement was calibrated with, or {@code null}
     * @param accuracy    replayed accuracy on the calibration records
     * @param meanCostUsd replayed mean cost per query
     * @param records     how many records it was calibrated on
     * @param objective   the objective in words
     * @param assumptions what the replay had to assume (e.g. monotone hint outcomes), in words
     */
    public record Entry(HintDecisionRule rule, Integer agreement, Integer samples, double accuracy,
                        double meanCostUsd, int records, String objective, List<String> assumptions) {

        public Entry {
            Objects.requireNonNull(rule, "rule");
            objective = objective == null ? "" : objective;
            assumptions = List.copyOf(assumptions == null ? List.of() : assumptions);
        }

        ObjectNode toJson() {
            ObjectNode n = JSON.createObjectNode();
            n.put("alpha", rule.alpha());
            n.put("eta_hint", rule.etaHint());
            n.put("max_hint", rule.maxHint());
            n.put("hint_scale", rule.hintScale());
            if (agreement != null) {
                n.put("agreement", agreement);
            }
            if (samples != null) {
                n.put("samples", samples);
            }
            n.put("accuracy", accuracy);
            n.put("mean_cost_usd", meanCostUsd);
            n.put("records", records);
            n.put("objective", objective);
            ArrayNode a = n.putArray("assumptions");
            assumptions.forEach(a::add);
            return n;
        }

        static Entry fromJson(JsonNode n, Path file) {
            for (String key : List.of("alpha", "eta_hint", "max_hint")) {
                if (!n.hasNonNull(key) || !n.get(key).isNumber()) {
                    throw new IllegalArgumentException("field '" + key + "' must be a number but was " + n.get(key));
                }
            }
            HintDecisionRule rule = new HintDecisionRule(n.get("alpha").asDouble(), n.get("eta_hint").asInt(),
                    n.get("max_hint").asInt(), n.path("hint_scale").asDouble(1.0));
            List<String> assumptions = new ArrayList<>();
            n.path("assumptions").forEach(a -> assumptions.add(a.asText()));
            return new Entry(rule, n.hasNonNull("agreement") ? n.get("agreement").asInt() : null,
                    n.hasNonNull("samples") ? n.get("samples").asInt() : null, n.path("accuracy").asDouble(Double.NaN),
                    n.path("mean_cost_usd").asDouble(Double.NaN), n.path("records").asInt(0),
                    n.path("objective").asText(""), assumptions);
        }
    }
}
