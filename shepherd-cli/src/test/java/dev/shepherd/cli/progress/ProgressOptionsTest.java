package dev.shepherd.cli.progress;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressOptionsTest {

    @Command(name = "verb")
    static final class Verb {
        @Mixin
        ProgressOptions progress;
    }

    @Test
    void should_draw_only_on_a_terminal_unless_told() {
        assertThat(ProgressOptions.draw(null, true)).isTrue();
        assertThat(ProgressOptions.draw(null, false)).isFalse();
        assertThat(ProgressOptions.draw(true, false)).isTrue();
        assertThat(ProgressOptions.draw(false, true)).isFalse();
    }

    @Test
    void should_parse_progress_and_no_progress() {
        PrintWriter err = new PrintWriter(new StringWriter());
        Verb on = new Verb();
        new CommandLine(on).parseArgs("--progress");
        assertThat(on.progress.target(err)).isSameAs(err);
        Verb off = new Verb();
        new CommandLine(off).parseArgs("--no-progress");
        assertThat(off.progress.target(err)).isNull();
        Verb neither = new Verb();
        new CommandLine(neither).parseArgs();
        assertThat(neither.progress.progress).isNull();
    }
}
