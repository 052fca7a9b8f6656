package dev.shepherd.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceJsonlTest {

    /** The record issue 14 says must be accepted as is. */
    static final String MINIMAL = "{\"id\":\"q1\",\"query\":\"…\",\"gold\":\"18\",\"models\":{\"m-small\":{\"text\":\"…\","
            + "\"correct\":false},\"m-large\":{\"text\":\"…\",\"correct\":true,\"input_tokens\":61,\"output_tokens\":120}}}";

    @Test
    void should_accept_the_minimal_record_as_is() throws IOException {
        // when
        Trace trace = TraceJsonl.read(new StringReader(MINIMAL + "\n"), "t.jsonl");
        // then
        assertThat(trace.models()).containsExactly("m-small", "m-large");
        TraceRecord r = trace.records().get(0);
        assertThat(r.id()).isEqualTo("q1");
        assertThat(r.gold()).isEqualTo("18");
        assertThat(r.line()).isEqualTo(1);
        assertThat(r.response("m-small").quality()).isZero();
        assertThat(r.response("m-small").hasTokens()).isFalse();
        assertThat(r.response("m-large").quality()).isEqualTo(1);
        assertThat(r.response("m-large").inputTokens()).isEqualTo(61);
        assertThat(r.response("m-large").outputTokens()).isEqualTo(120);
    }

    @Test
    void should_read_scores_confidence_samples_and_hints_and_write_them_back() throws IOException {
        // given
        String line = "{\"id\":7,\"query\":\"q\",\"models\":{\"b\":{\"text\":\"x\",\"score\":0.25,\"confidence\":0.9,"
                + "\"samples\":[{\"text\":\"s1\",\"answer\":\"4\",\"correct\":true,\"input_tokens\":3,\"output_tokens\":2},"
                + "{\"text\":\"s2\",\"correct\":false}],"
                + "\"hints\":[{\"percent\":10,\"hint_tokens\":5,\"hint_text\":\"h\",\"from\":\"a\","
                + "\"response\":{\"text\":\"y\",\"correct\":true}}]},"
                + "\"a\":{\"text\":\"z\",\"correct\":true,\"unknown\":1}},\"extra\":\"ignored\"}";
        // when
        Trace trace = TraceJsonl.read(new StringReader(line), "t");
        StringWriter out = new StringWriter();
        TraceJsonl.write(out, trace);
        Trace again = TraceJsonl.read(new StringReader(out.toString()), "t");
        // then
        Response b = trace.records().get(0).response("b");
        assertThat(trace.records().get(0).id()).isEqualTo("7");
        assertThat(b.quality()).isEqualTo(0.25);
        assertThat(b.outcome().correct()).isNull();
        assertThat(b.confidence()).isEqualTo(0.9);
        assertThat(b.samples()).hasSize(2);
        assertThat(b.samples().get(0).answer()).isEqualTo("4");
        assertThat(b.samples().get(1).answer()).isNull();
        assertThat(b.hints()).singleElement().satisfies(h -> {
            assertThat(h.hintTokens()).isEqualTo(5);
            assertThat(h.from()).isEqualTo("a");
            assertThat(h.response().quality()).isEqualTo(1);
        });
        assertThat(again).isEqualTo(trace);
    }

    @Test
    void should_read_a_label_file_as_a_two_model_trace() throws IOException {
        // given: a shepherd label record (docs/labels.md)
        String label = "{\"id\":\"gsm8k-test-12\",\"dataset\":\"gsm8k\",\"query\":\"Q\",\"gold\":\"72\","
                + "\"slm_model\":\"ollama:llama3.2:3b\",\"llm_model\":\"openai:gpt-4o\",\"tau\":1.0,"
                + "\"llm_full\":{\"text\":\"L\",\"input_tokens\":120,\"output_tokens\":180,\"finish_reason\":\"STOP\","
                + "\"quality\":1.0},\"levels\":[{\"percent\":0,\"hint_tokens\":0,\"hint_text\":\"\",\"hint_input_tokens\":0,"
                + "\"slm\":{\"text\":\"S\",\"input_tokens\":95,\"output_tokens\":160,\"finish_reason\":\"STOP\",\"quality\":0.0}},"
                + "{\"percent\":10,\"hint_tokens\":18,\"hint_text\":\"H\",\"hint_input_tokens\":120,"
                + "\"slm\":{\"text\":\"S2\",\"input_tokens\":113,\"output_tokens\":150,\"finish_reason\":\"STOP\",\"quality\":1.0}}],"
                + "\"samples\":[{\"text\":\"a\",\"answer\":\"70\",\"input_tokens\":95,\"output_tokens\":150,\"quality\":0.0}],"
                + "\"features\":{},\"n_star\":18,\"n_star_percent\":10,\"keep\":true}";
        // when
        Trace trace = TraceJsonl.read(new StringReader(label), "labels.jsonl");
        // then
        assertThat(trace.models()).containsExactly("ollama:llama3.2:3b", "openai:gpt-4o");
        Response small = trace.records().get(0).response("ollama:llama3.2:3b");
        assertThat(small.text()).isEqualTo("S");
        assertThat(small.outcome()).isEqualTo(Outcome.correct(false));
        assertThat(small.inputTokens()).isEqualTo(95);
        assertThat(small.samples()).singleElement().extracting(Sample::answer).isEqualTo("70");
        assertThat(small.hints()).singleElement().satisfies(h -> {
            assertThat(h.percent()).isEqualTo(10);
            assertThat(h.from()).isEqualTo("openai:gpt-4o");
            assertThat(h.response().quality()).isEqualTo(1);
        });
        assertThat(trace.records().get(0).response("openai:gpt-4o").outputTokens()).isEqualTo(180);
    }

    @Test
    void should_name_a_label_file_without_model_names_slm_and_llm() throws IOException {
        String label = "{\"id\":\"a\",\"query\":\"Q\",\"llm_full\":{\"text\":\"L\",\"input_tokens\":1,\"output_tokens\":2,"
                + "\"quality\":0.5},\"levels\":[{\"percent\":0,\"hint_tokens\":0,\"slm\":{\"text\":\"S\",\"input_tokens\":1,"
                + "\"output_tokens\":2,\"quality\":1}}],\"n_star\":0}";
        Trace trace = TraceJsonl.read(new StringReader(label), "l");
        assertThat(trace.models()).containsExactly("slm", "llm");
        assertThat(trace.records().get(0).response("llm").outcome()).isEqualTo(Outcome.score(0.5));
    }

    @Test
    void should_name_source_line_and_field_of_a_bad_value() {
        assertError(MINIMAL + "\n\n" + MINIMAL.replace("\"q1\"", "\"q2\"").replace("\"correct\":false", "\"correct\":\"no\""),
                "t:3: field 'models.m-small.correct': must be true or false but was \"no\"");
        assertError(MINIMAL.replace("\"correct\":false", "\"score\":1.5"),
                "t:1: field 'models.m-small.score': must be a number in [0, 1] but was 1.5");
        assertError(MINIMAL.replace("\"correct\":false", "\"correct\":false,\"score\":1"),
                "t:1: field 'models.m-small.correct': give either correct or score, not both");
        assertError(MINIMAL.replace(",\"correct\":false", ""),
                "t:1: field 'models.m-small.correct': is missing: give correct (true/false) or score (a number in [0, 1])");
        assertError(MINIMAL.replace("\"input_tokens\":61", "\"input_tokens\":-1"),
                "t:1: field 'models.m-large.input_tokens': must be an integer >= 0 but was -1");
        assertError("{\"id\":\"q\",\"query\":\"x\"}", "t:1: field 'models': is missing");
        assertError("{\"id\":\"q\",\"query\":\"x\",\"models\":{\"a\":{\"correct\":true}}}",
                "t:1: field 'models.a.text': is missing (it may be left out only when input_tokens and output_tokens are given)");
        assertError("[1,2]", "t:1: expected a JSON object but was ARRAY");
        assertError("{\"id\":\"q\",", "t:1: malformed or truncated JSON");
        assertError("", "t: trace is empty: expected one JSON object per line");
    }

    @Test
    void should_reject_records_that_answer_other_models_and_duplicate_ids() {
        assertError(MINIMAL + "\n" + MINIMAL.replace("\"q1\"", "\"q2\"").replace("m-large", "m-huge"),
                "t:2: field 'models': answers [m-small, m-huge] but the first record answers [m-small, m-large]");
        assertError(MINIMAL + "\n" + MINIMAL, "t: duplicate id 'q1' on line 2");
    }

    @Test
    void should_keep_the_first_records_model_order() throws IOException {
        String second = "{\"id\":\"q2\",\"query\":\"x\",\"models\":{\"m-large\":{\"text\":\"a\",\"correct\":true},"
                + "\"m-small\":{\"text\":\"b\",\"correct\":true}}}";
        Trace trace = TraceJsonl.read(new StringReader(MINIMAL + "\n" + second), "t");
        assertThat(trace.records().get(1).responses().keySet()).containsExactly("m-small", "m-large");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> TraceJsonl.read(new StringReader(text), "t"))
                .isInstanceOf(TraceFormatException.class).hasMessageStartingWith(message);
    }

    @Test
    void should_count_missing_tokens_and_say_how_many() {
        // given
        Trace trace = new Trace("t", List.of("a", "b"), List.of(new TraceRecord("1", "four", null,
                java.util.Map.of("a", Response.of("xy", true), "b", Response.of("z", false).withTokens(7, 9)), 1)));
        // when: a "tokenizer" counting characters
        Trace.Counted c = trace.countMissingTokens(String::length);
        // then
        Response a = c.trace().records().get(0).response("a");
        assertThat(a.inputTokens()).isEqualTo(4);
        assertThat(a.outputTokens()).isEqualTo(2);
        assertThat(c.trace().records().get(0).response("b").inputTokens()).isEqualTo(7);
        assertThat(c.counted()).containsEntry("a", 1).containsEntry("b", 0);
        assertThat(c.anyCounted()).isTrue();
    }
}
