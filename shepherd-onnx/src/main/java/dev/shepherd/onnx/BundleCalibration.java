package dev.shepherd.onnx;

import dev.shepherd.core.hint.HintDecisionRule;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The calibrated decision rules of a bundle, one per {@link PredictorUse}: calibration chooses α, η_hint, the hint
 * scale (and, for reactive shepherding, k) without touching the trained weights. Stored in the bundle's
 * {@value PredictorBundle#CALIBRATION} by {@link PredictorBundle#writeCalibration}; {@link OnnxHintPredictor#load}
 * reads it and applies it ({@link OnnxHintPredictor#rule(PredictorUse)}). Immutable and thread-safe.
 */
public final class BundleCalibration {

    private final Map<PredictorUse, Entry> entries;

    private BundleCalibration(Map<PredictorUse, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new EnumMap<>(entries));
    }

    /** No calibrated rule for any use. */
    public static BundleCalibration empty() {
        return new BundleCalibration(new EnumMap<>(PredictorUse.class));
    }

    /** These entries. */
    public static BundleCalibration of(Map<PredictorUse, Entry> entries) {
        Map<PredictorUse, Entry> copy = new EnumMap<>(PredictorUse.class);
        entries.forEach((use, e) -> copy.put(Objects.requireNonNull(use, "use"), Objects.requireNonNull(e, "entry")));
        return new BundleCalibration(copy);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof BundleCalibration other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "BundleCalibration" + entries;
    }

    /**
     * One calibrated rule and what it was measured to do on the calibration records.
     *
     * @param rule        α, η_hint, N_max, hint scale
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

        /** Checks and copies the fields; a null objective or assumptions list is empty. */
        public Entry {
            Objects.requireNonNull(rule, "rule");
            objective = objective == null ? "" : objective;
            assumptions = List.copyOf(assumptions == null ? List.of() : assumptions);
        }
    }
}
