package dev.shepherd.onnx.training;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.training.LabeledExample;
import dev.shepherd.trace.Response;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the two-model trainer and calibration read, made from a two-model {@link Trace} (shepherd-trace; RouteLLM's
 * CSV, for one): the trace's first model is the small one, the second the large one; an answer is good when its
 * quality is at least 0.5. Token counts the trace lacks are counted with cl100k_base (jtokkit), a proxy for the
 * real prompts. Stateless and thread-safe.
 */
public final class TraceLabels {

    private TraceLabels() {
    }

    /**
     * Need-help training examples: label 1 (n* = 1, a placeholder size — a trace has no hint-size labels) when the
     * small model's answer was not good; ids are the records' ids; the large answer's output tokens are the auxiliary
     * answer-length target.
     *
     * @throws IllegalArgumentException when the trace does not have exactly two models
     */
    public static List<LabeledExample> needHelpExamples(Trace trace) {
        checkTwo(trace);
        Encoding cl100k = cl100k();
        String small = trace.models().get(0);
        String large = trace.models().get(1);
        List<LabeledExample> out = new ArrayList<>(trace.size());
        for (TraceRecord r : trace.records()) {
            Response l = r.response(large);
            long answer = l.outputTokens() != null ? l.outputTokens() : cl100k.countTokens(l.text());
            out.add(LabeledExample.of(r.id(), r.query(), good(r.response(small)) ? 0 : 1).withLargeAnswerTokens(answer));
        }
        return out;
    }

    /**
     * The trace in the label-record contract (docs/labels.md), so that calibration and training code run on it
     * unchanged: level 0 is the small model's answer, {@code llm_full} the large model's. No hint levels exist, so
     * {@code n_star} is 0 when the small answer was good, else the large answer's length (the contract's "no level
     * passed" value); {@code keep} is false when neither was good.
     *
     * @throws IllegalArgumentException when the trace does not have exactly two models
     */
    public static List<LabelRecord> toLabelRecords(Trace trace) {
        checkTwo(trace);
        Encoding cl100k = cl100k();
        String small = trace.models().get(0);
        String large = trace.models().get(1);
        List<LabelRecord> out = new ArrayList<>(trace.size());
        for (TraceRecord r : trace.records()) {
            long q = cl100k.countTokens(r.query());
            Response s = r.response(small);
            Response l = r.response(large);
            LabelRecord.ModelCall strong = call(l, q, cl100k);
            LabelRecord.ModelCall weak = call(s, q, cl100k);
            boolean smallGood = good(s);
            int nStar = smallGood ? 0 : (int) Math.max(1, strong.outputTokens());
            out.add(new LabelRecord(r.id(), "trace", r.query(), r.gold(), strong,
                    List.of(new LabelRecord.HintLevel(0, 0, "", 0, weak)), Map.of(), nStar, smallGood ? 0 : 100,
                    smallGood || good(l)));
        }
        return out;
    }

    private static LabelRecord.ModelCall call(Response r, long queryTokens, Encoding cl100k) {
        return new LabelRecord.ModelCall(r.text(), r.inputTokens() != null ? r.inputTokens() : queryTokens,
                r.outputTokens() != null ? r.outputTokens() : cl100k.countTokens(r.text()), "STOP", r.quality());
    }

    private static boolean good(Response r) {
        return r.quality() >= 0.5;
    }

    private static Encoding cl100k() {
        return Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    private static void checkTwo(Trace trace) {
        if (trace.models().size() != 2) {
            throw new IllegalArgumentException("expected a two-model trace (small, large) but it has " + trace.models());
        }
    }
}
