package dev.shepherd.onnx.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteLlmTraceTest {

    @TempDir
    Path tmp;

    @Test
    void should_read_the_real_trace() {
        // when
        RouteLlmTrace trace = RouteLlmTrace.read(SharedData.routeLlmTrace());

        // then: the counts its README states
        assertThat(trace.rows()).hasSize(857);
        assertThat(trace.rows().stream().filter(RouteLlmTrace.Row::smallCorrect).count()).isEqualTo(559);
        assertThat(trace.rows().stream().filter(RouteLlmTrace.Row::largeCorrect).count()).isEqualTo(736);
        assertThat(trace.smallModel()).isEqualTo("mistralai/Mixtral-8x7B-Instruct-v0.1");
        assertThat(trace.rows().get(0).prompt()).startsWith("Janet’s ducks");
        assertThat(trace.rows().get(0).smallResponse()).contains("#### 18");
    }

    @Test
    void should_parse_quotes_and_line_breaks_inside_fields() throws Exception {
        // given
        Path file = Files.writeString(tmp.resolve("t.csv"), "prompt,w,s,w_response,s_response\n"
                + "\"Say \"\"hi\"\", then, count\",True,False,\"line one\nline two\",plain\n"
                + "Second?,false,true,a,b\n");

        // when
        RouteLlmTrace trace = RouteLlmTrace.read(file);

        // then
        assertThat(trace.rows()).hasSize(2);
        assertThat(trace.rows().get(0).prompt()).isEqualTo("Say \"hi\", then, count");
        assertThat(trace.rows().get(0).smallResponse()).isEqualTo("line one\nline two");
        assertThat(trace.rows().get(1).line()).isEqualTo(4);
        assertThat(trace.rows().get(1).largeCorrect()).isTrue();
    }

    @Test
    void should_name_the_wrong_header_column() throws Exception {
        Path file = Files.writeString(tmp.resolve("h.csv"), "question,w,s,w_response,s_response\nq,True,True,a,b\n");
        assertThatThrownBy(() -> RouteLlmTrace.read(file))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(file + ":1:").hasMessageContaining("column 1").hasMessageContaining("'question'");
    }

    @Test
    void should_name_line_and_column_of_a_bad_boolean() throws Exception {
        Path file = Files.writeString(tmp.resolve("b.csv"), "prompt,w,s,w_response,s_response\nq,True,maybe,a,b\n");
        assertThatThrownBy(() -> RouteLlmTrace.read(file))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(file + ":2:").hasMessageContaining("column 3").hasMessageContaining("'maybe'");
    }

    @Test
    void should_name_the_line_of_a_record_with_missing_columns() throws Exception {
        Path file = Files.writeString(tmp.resolve("c.csv"), "prompt,w,s,w_response,s_response\nq,True,True,a,b\nr,True\n");
        assertThatThrownBy(() -> RouteLlmTrace.read(file))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(file + ":3:").hasMessageContaining("5 columns");
    }
}
