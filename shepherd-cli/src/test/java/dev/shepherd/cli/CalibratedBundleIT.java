package dev.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.onnx.PredictorUse;
import dev.shepherd.onnx.training.LabelFile;
import dev.shepherd.onnx.training.LabelRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a library user gets from a calibrated bundle: {@code OnnxHintPredictor.load(bundle)} applies the rules that
 * {@code shepherd calibrate} chose and printed, not the ones stored at training (real command line, real ONNX
 * Runtime, the MiniLM encoder; no model is called).
 */
class CalibratedBundleIT {

    /** A calibrated use as {@code calibrate} prints it: {@code  <policy>  alpha=… eta_hint=… max_hint=… hint_scale=…}. */
    private static final Pattern RULE = Pattern.compile(
            "(?m)^\\s+(\\S+)\\s+alpha=(\\S+) eta_hint=(\\d+) max_hint=(\\d+) hint_scale=([^\\s:]+)");

    @TempDir
    Path dir;

    @Test
    void should_load_a_calibrated_bundle_with_the_rule_calibrate_printed() {
        // given: a bundle trained on one label set, calibrated on another
        Path train = dir.resolve("train-labels.jsonl");
        Path validation = dir.resolve("validation-labels.jsonl");
        LabelFile.write(train, records("t", 40));
        LabelFile.write(validation, records("v", 40));
        Path bundle = dir.resolve("bundle");
        CliRun trained = CliRun.of("train", "--labels", train.toString(), "--out", bundle.toString(),
                "--max-epochs", "5");
        assertThat(trained.exitCode()).as(trained.err()).isZero();

        // when
        CliRun calibrate = CliRun.of("calibrate", "--bundle", bundle.toString(), "--labels", validation.toString(),
                "--accuracy-share", "0.8", "--margin-se", "0");

        // then: every use the bundle serves loads with the printed rule, and decisionRule() is proactive's
        assertThat(calibrate.exitCode()).as(calibrate.err()).isZero();
        Map<PredictorUse, HintDecisionRule> printed = printedRules(calibrate.out());
        assertThat(printed).as(calibrate.out()).containsOnlyKeys(PredictorUse.values());
        try (OnnxHintPredictor loaded = OnnxHintPredictor.load(bundle)) {
            for (Map.Entry<PredictorUse, HintDecisionRule> e : printed.entrySet()) {
                assertThat(loaded.rule(e.getKey())).as(e.getKey().policyName()).isEqualTo(e.getValue());
                assertThat(loaded.ruleSource(e.getKey())).isEqualTo(OnnxHintPredictor.RuleSource.CALIBRATED);
            }
            assertThat(loaded.decisionRule()).isEqualTo(printed.get(PredictorUse.PROACTIVE));
        }
    }

    private static Map<PredictorUse, HintDecisionRule> printedRules(String out) {
        Map<PredictorUse, HintDecisionRule> rules = new EnumMap<>(PredictorUse.class);
        Matcher m = RULE.matcher(out);
        while (m.find()) {
            rules.put(PredictorUse.parse(m.group(1)), new HintDecisionRule(Double.parseDouble(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Double.parseDouble(m.group(5))));
        }
        return rules;
    }

    /**
     * Every other query is a one-liner the small model gets right alone; the rest are long and need a hint that
     * grows with their length. Each has K = 3 samples, which agree on the right answer only for the easy ones.
     */
    private static List<LabelRecord> records(String prefix, int n) {
        List<LabelRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean hard = i % 2 == 1;
            int steps = 2 + i % 4;
            String query = hard ? "Ana has " + (i + 3) + " marbles." + " Then she trades half of them for stickers."
                    .repeat(steps) + " How many marbles are left?" : "What is " + i + " + " + (2 * i + 1) + "?";
            int full = hard ? 60 + 30 * steps : 20;
            int nStar = hard ? full * steps / 10 : 0;
            int qTokens = 20 + query.length() / 4;
            List<LabelRecord.HintLevel> levels = new ArrayList<>();
            for (int p = 0; p <= 90; p += 10) {
                int tokens = p * full / 100;
                boolean pass = nStar == 0 || tokens >= nStar;
                levels.add(new LabelRecord.HintLevel(p, tokens, tokens == 0 ? "" : "hint " + tokens,
                        tokens == 0 ? 0 : qTokens, new LabelRecord.ModelCall("answer", qTokens + tokens, 100, "STOP",
                        pass ? 1.0 : 0.0)));
                if (pass) {
                    break;
                }
            }
            double entropy = hard ? 0.8 + 0.1 * steps : 0.2;
            double length = hard ? 150 + 10 * steps : 40;
            List<LabelRecord.Sample> samples = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                String answer = hard ? Integer.toString(k + 1) : "0";
                samples.add(new LabelRecord.Sample("#### " + answer, answer, qTokens, (long) length, entropy,
                        hard ? 0.0 : 1.0));
            }
            out.add(new LabelRecord(prefix + i, "synthetic", query, "0",
                    new LabelRecord.ModelCall("full answer", qTokens, full, "STOP", 1.0), levels, samples,
                    Map.of("mean_entropy", entropy, "mean_output_length", length), LabelRecord.ENTROPY_TOKEN, false,
                    nStar, hard ? Math.min(100, nStar * 100 / full) : 0, true));
        }
        return out;
    }
}
