package dev.shepherd.cli.trace;

import dev.shepherd.cli.InputException;
import dev.shepherd.cli.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteLlmTraceReaderTest {

    static final String HEADER = "prompt,weak,strong,weak_response,strong_response\n";

    @TempDir
    Path dir;

    @Test
    void should_read_the_published_gsm8k_trace() {
        // given
        Path file = SharedFiles.require("data/routellm_gsm8k_responses.dev.csv");
        // when
        RouteLlmTrace trace = RouteLlmTraceReader.read(file);
        // then: the counts the data README states
        assertThat(trace.size()).isEqualTo(857);
        assertThat(trace.rows().stream().filter(TraceRow::smallCorrect).count()).isEqualTo(559);
        assertThat(trace.rows().stream().filter(TraceRow::largeCorrect).count()).isEqualTo(736);
        assertThat(trace.smallModel()).isEqualTo("mistralai/Mixtral-8x7B-Instruct-v0.1");
        assertThat(trace.largeModel()).isEqualTo("gpt-4-1106-preview");
        assertThat(trace.rows().get(0).smallResponse()).contains("#### 18");
    }

    @Test
    void should_keep_quoted_line_breaks_and_track_start_lines() throws IOException {
        // given
        Path file = write(HEADER + "\"q1, with comma\",True,False,\"a\nb\",\"say \"\"hi\"\"\"\r\nq2,False,True,c,d\n");
        // when
        RouteLlmTrace trace = RouteLlmTraceReader.read(file);
        // then
        assertThat(trace.rows()).hasSize(2);
        TraceRow r1 = trace.rows().get(0);
        assertThat(r1.prompt()).isEqualTo("q1, with comma");
        assertThat(r1.smallResponse()).isEqualTo("a\nb");
        assertThat(r1.largeResponse()).isEqualTo("say \"hi\"");
        assertThat(r1.line()).isEqualTo(2);
        assertThat(trace.rows().get(1).line()).isEqualTo(4);
        assertThat(trace.rows().get(1).largeCorrect()).isTrue();
    }

    @Test
    void should_name_column_when_header_lacks_prompt() throws IOException {
        // given
        Path file = write("question,weak,strong,weak_response,strong_response\nq,True,True,a,b\n");
        // when / then
        assertThatThrownBy(() -> RouteLlmTraceReader.read(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":1: field 'prompt': missing column");
    }

    @Test
    void should_name_column_when_response_column_is_missing() throws IOException {
        // given
        Path file = write("prompt,weak,strong,weak_response\nq,True,True,a\n");
        // when / then
        assertThatThrownBy(() -> RouteLlmTraceReader.read(file))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(":1: field 'strong_response': missing column");
    }

    @Test
    void should_name_file_line_and_column_of_a_bad_correctness_cell() throws IOException {
        // given
        Path file = write(HEADER + "q,True,True,a,b\nq,maybe,True,a,b\n");
        // when / then
        assertThatThrownBy(() -> RouteLlmTraceReader.read(file))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":3: field 'weak': expected True or False (the model's correctness) but was 'maybe'");
    }

    @Test
    void should_reject_rows_with_the_wrong_number_of_columns() throws IOException {
        // given
        Path file = write(HEADER + "q,True,True,a\n");
        // when / then
        assertThatThrownBy(() -> RouteLlmTraceReader.read(file))
                .isInstanceOf(InputException.class).hasMessageContaining(":2: expected 5 columns");
    }

    @Test
    void should_reject_a_quoted_field_that_never_closes() throws IOException {
        // given
        Path file = write(HEADER + "q,True,True,\"a never closed,b\n");
        // when / then
        assertThatThrownBy(() -> RouteLlmTraceReader.read(file))
                .isInstanceOf(InputException.class).hasMessageContaining(":2: truncated CSV");
    }

    @Test
    void should_use_a_cached_download_without_the_network() throws IOException {
        // given: the cache already holds the URL's file (tests never download)
        TraceSource source = TraceSource.withCache(dir.resolve("cache"));
        String url = "https://example.invalid/gsm8k_responses.csv";
        Path cached = source.cacheFile(url);
        Files.createDirectories(cached.getParent());
        Files.writeString(cached, HEADER + "q,True,False,a,b\n");
        // when
        RouteLlmTrace trace = source.read("routellm:" + url);
        // then
        assertThat(trace.size()).isEqualTo(1);
        assertThat(trace.source()).isEqualTo(url);
    }

    @Test
    void should_reject_unknown_trace_formats_and_plain_http() {
        TraceSource source = TraceSource.withCache(dir);
        assertThatThrownBy(() -> source.read("frugal:x.csv"))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown trace format");
        assertThatThrownBy(() -> source.read("routellm:http://example.invalid/x.csv"))
                .isInstanceOf(InputException.class).hasMessageContaining("use https");
    }

    private Path write(String content) throws IOException {
        Path f = dir.resolve("trace.csv");
        Files.writeString(f, content);
        return f;
    }
}
