package dev.shepherd.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class RouteLlmCsvTest {

    static final String HEADER = "prompt,weak,strong,weak_response,strong_response\n";

    @Test
    void should_read_the_published_gsm8k_trace() {
        // given
        Path file = Path.of(System.getProperty("shepherd.shared", "../shared"), "data",
                "routellm_gsm8k_responses.dev.csv");
        Assumptions.assumeTrue(Files.isRegularFile(file), "skipped: the RouteLLM GSM8K trace is not at "
                + file.toAbsolutePath() + " (../shared/data; set -Dshepherd.shared=DIR)");
        // when
        Trace trace = RouteLlmCsv.read(file);
        // then: the counts the data README states
        assertThat(trace.size()).isEqualTo(857);
        assertThat(trace.models()).containsExactly("mistralai/Mixtral-8x7B-Instruct-v0.1", "gpt-4-1106-preview");
        assertThat(correct(trace, 0)).isEqualTo(559);
        assertThat(correct(trace, 1)).isEqualTo(736);
        assertThat(trace.records().get(0).id()).isEqualTo("routellm-2");
        assertThat(trace.records().get(0).query()).startsWith("Janet’s ducks");
        assertThat(trace.records().get(0).response(trace.models().get(0)).text()).contains("#### 18");
    }

    private static long correct(Trace t, int model) {
        return t.records().stream().filter(r -> r.response(t.models().get(model)).quality() == 1).count();
    }

    @Test
    void should_keep_quoted_line_breaks_and_track_start_lines() throws IOException {
        // when
        Trace trace = read(HEADER + "\"q1, with comma\",True,False,\"a\nb\",\"say \"\"hi\"\"\"\r\nq2,False,1,c,d\n");
        // then
        assertThat(trace.records()).hasSize(2);
        TraceRecord r1 = trace.records().get(0);
        assertThat(r1.query()).isEqualTo("q1, with comma");
        assertThat(r1.response("weak").text()).isEqualTo("a\nb");
        assertThat(r1.response("strong").text()).isEqualTo("say \"hi\"");
        assertThat(r1.line()).isEqualTo(2);
        assertThat(trace.records().get(1).line()).isEqualTo(4);
        assertThat(trace.records().get(1).id()).isEqualTo("routellm-4");
        assertThat(trace.records().get(1).response("strong").quality()).isEqualTo(1);
    }

    @Test
    void should_name_line_and_column_of_malformed_input() {
        assertError("question,weak,strong,weak_response,strong_response\nq,True,True,a,b\n",
                "t:1: field 'prompt': missing column");
        assertError("prompt,weak,strong,weak_response\nq,True,True,a\n",
                "t:1: field 'strong_response': missing column");
        assertError(HEADER + "q,True,True,a,b\nq,maybe,True,a,b\n",
                "t:3: field 'weak': expected True or False (the model's correctness) but was 'maybe'");
        assertError(HEADER + "q,True,True,a\n", "t:2: expected 5 columns");
        assertError(HEADER + "q,True,True,\"a never closed,b\n", "t:2: truncated CSV");
        assertError(HEADER + " ,True,True,a,b\n", "t:2: field 'prompt': is empty");
        assertError(HEADER, "t:2: trace has a header but no rows");
        assertError("", "t:1: trace is empty");
    }

    private static Trace read(String text) throws IOException {
        return RouteLlmCsv.read(new StringReader(text), "t");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> read(text)).isInstanceOf(TraceFormatException.class).hasMessageStartingWith(message);
    }
}
