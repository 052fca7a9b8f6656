package dev.shepherd.cli.progress;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLineTest {

    @Test
    void should_format_bar_counts_elapsed_and_eta() {
        // when: 3 done + 1 failed of 8 in 10 s -> 2.5 s each, 4 left
        String line = ProgressLine.line("fixed-hint", 3, 1, 8, 10, "cost $0.0100");
        // then
        assertThat(line).isEqualTo("fixed-hint [############............] 4/8  1 failed  elapsed 00:10  ETA 00:10  "
                + "cost $0.0100");
        assertThat(ProgressLine.line("label", 0, 0, 5, 0.2, "")).endsWith("ETA --:--");
        assertThat(ProgressLine.clock(3725)).isEqualTo("1:02:05");
    }

    @Test
    void should_draw_the_final_line_once_with_a_newline_on_close() {
        // given
        StringWriter out = new StringWriter();
        ProgressLine line = ProgressLine.start(new PrintWriter(out), "x", 2, () -> 2, () -> 0, null);
        // when
        line.close();
        line.close();
        // then
        assertThat(out.toString()).containsPattern("\rx \\[#{24}] 2/2  0 failed  elapsed \\d\\d:\\d\\d  ETA 00:00\n$")
                .containsOnlyOnce("\n");
    }

    @Test
    void should_draw_nothing_without_a_writer() {
        // when
        try (ProgressLine line = ProgressLine.start(null, "x", 1, () -> 0, () -> 0, () -> "d")) {
            // then
            assertThat(line.elapsedSeconds()).isGreaterThanOrEqualTo(0);
        }
    }
}
