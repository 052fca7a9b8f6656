package dev.shepherd.cli.trace;

import dev.shepherd.cli.InputException;
import dev.shepherd.trace.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceSourceTest {

    static final String HEADER = "prompt,weak,strong,weak_response,strong_response\n";

    @TempDir
    Path dir;

    @Test
    void should_use_a_cached_download_without_the_network() throws IOException {
        // given: the cache already holds the URL's file (tests never download)
        TraceSource source = TraceSource.withCache(dir.resolve("cache"));
        String url = "https://example.invalid/gsm8k_responses.csv";
        Path cached = source.cacheFile(url);
        Files.createDirectories(cached.getParent());
        Files.writeString(cached, HEADER + "q,True,False,a,b\n");
        // when
        Trace trace = source.read("routellm:" + url);
        // then
        assertThat(trace.size()).isEqualTo(1);
        assertThat(trace.source()).isEqualTo(url);
    }

    @Test
    void should_read_jsonl_traces_and_name_file_line_and_field_of_an_error() throws IOException {
        // given
        Path good = Files.writeString(dir.resolve("t.jsonl"), "{\"id\":\"q1\",\"query\":\"x\",\"models\":{\"a\":"
                + "{\"text\":\"1\",\"correct\":true},\"b\":{\"text\":\"2\",\"score\":0.5}}}\n");
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"id\":\"q1\",\"query\":\"x\",\"models\":{\"a\":"
                + "{\"text\":\"1\",\"correct\":\"yes\"}}}\n");
        TraceSource source = TraceSource.withCache(dir);
        // when
        Trace trace = source.read("jsonl:" + good);
        // then
        assertThat(trace.models()).containsExactly("a", "b");
        assertThatThrownBy(() -> source.read("jsonl:" + bad)).isInstanceOf(InputException.class)
                .hasMessage(bad + ":1: field 'models.a.correct': must be true or false but was \"yes\"");
    }

    @Test
    void should_reject_unknown_trace_formats_and_plain_http() {
        TraceSource source = TraceSource.withCache(dir);
        assertThatThrownBy(() -> source.read("frugal:x.csv"))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown trace format")
                .hasMessageContaining("jsonl:FILE");
        assertThatThrownBy(() -> source.read("routellm:http://example.invalid/x.csv"))
                .isInstanceOf(InputException.class).hasMessageContaining("use https");
    }
}
