package dev.shepherd.cli;

import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.SampleFeatures;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.training.LabeledExample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The training examples of the reactive heads: each record's query with the features of its K small-model samples,
 * all under one entropy definition. When the records mix definitions (a server stopped returning log-probabilities
 * midway), every record falls back to the entropy of its samples' answers, which any record with samples has.
 *
 * @param examples the examples, in record order
 * @param entropy  the definition used: {@code "token"} or {@code "answer"}
 * @param note     what was done about mixed definitions, or {@code null}
 */
record ReactiveFeatures(List<LabeledExample> examples, String entropy, String note) {

    static ReactiveFeatures of(List<LabelRecord> records) {
        TreeSet<String> kinds = new TreeSet<>();
        records.forEach(r -> kinds.add(r.entropy() == null ? "answer" : r.entropy()));
        if (kinds.size() == 1) {
            return new ReactiveFeatures(records.stream().map(LabelRecord::toExample).toList(), kinds.first(), null);
        }
        List<LabeledExample> out = new ArrayList<>(records.size());
        for (LabelRecord r : records) {
            List<Optional<String>> answers = r.samples().stream().map(s -> Optional.ofNullable(s.answer())).toList();
            Map<String, Double> f = new LinkedHashMap<>(r.features());
            f.put(Features.MEAN_ENTROPY, SampleFeatures.answerEntropy(answers));
            out.add(new LabeledExample(r.id(), r.query(), f, r.nStar()));
        }
        return new ReactiveFeatures(out, "answer", "the labels mix entropy definitions " + kinds + ", so the reactive "
                + "heads use the entropy of the samples' answers for every record");
    }
}
