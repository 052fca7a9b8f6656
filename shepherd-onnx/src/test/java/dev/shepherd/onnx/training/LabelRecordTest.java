package dev.shepherd.onnx.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelRecordTest {

    private static final LabelRecord.ModelCall CALL = new LabelRecord.ModelCall("#### 3", 10, 2, "STOP", 1.0);

    private static LabelRecord withAnswers(String... answers) {
        List<LabelRecord.Sample> samples = Arrays.stream(answers)
                .map(a -> new LabelRecord.Sample("says " + a, a, 10, 2, 0.1, 0.0)).toList();
        return new LabelRecord("q", "d", "query", "3", CALL, List.of(new LabelRecord.HintLevel(0, 0, "", 0, CALL)),
                samples, Map.of(), samples.isEmpty() ? null : "token", false, 0, 0, true);
    }

    @Test
    void should_return_the_first_sample_of_the_agreed_answer_when_at_least_k_agree() {
        LabelRecord r = withAnswers("5", "6", "5");
        assertThat(r.agreed(2)).contains(r.samples().get(0));
        assertThat(r.agreed(3)).isEmpty();
        assertThat(r.plurality()).isSameAs(r.samples().get(0));
        LabelRecord later = withAnswers("5", "6", "6");
        assertThat(later.agreed(2)).contains(later.samples().get(1));
        assertThat(later.plurality()).isSameAs(later.samples().get(1));
    }

    @Test
    void should_never_agree_on_missing_answers_and_fall_back_to_the_first_sample() {
        LabelRecord none = withAnswers(null, null, null);
        assertThat(none.agreed(1)).isEmpty();
        assertThat(none.plurality()).isSameAs(none.samples().get(0));
        LabelRecord one = withAnswers(null, "7", null);
        assertThat(one.agreed(1)).contains(one.samples().get(1));
        assertThat(one.agreed(2)).isEmpty();
        assertThat(one.plurality()).isSameAs(one.samples().get(1));
        LabelRecord tie = withAnswers("1", "2", "3");
        assertThat(tie.plurality()).isSameAs(tie.samples().get(0));
        assertThat(tie.agreed(1)).contains(tie.samples().get(0));
    }

    @Test
    void should_say_whether_it_has_samples_and_reject_bad_arguments() {
        LabelRecord empty = withAnswers();
        assertThat(empty.hasSamples()).isFalse();
        assertThat(empty.agreed(2)).isEmpty();
        assertThatThrownBy(empty::plurality).isInstanceOf(IllegalStateException.class).hasMessageContaining("--samples");
        assertThatThrownBy(() -> withAnswers("1").agreed(0)).hasMessageContaining("k must be >= 1");
        assertThatThrownBy(() -> new LabelRecord("q", "d", "query", "3", CALL,
                List.of(new LabelRecord.HintLevel(0, 0, "", 0, CALL)), List.of(), Map.of(), "bits", false, 0, 0, true))
                .hasMessageContaining("'bits'");
    }
}
