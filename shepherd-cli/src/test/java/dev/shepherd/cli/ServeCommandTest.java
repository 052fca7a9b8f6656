package dev.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shepherd serve}'s checks before it binds or calls anything: each exits 2 naming the option. */
class ServeCommandTest {

    static final String[] MODELS = {"--slm-provider", "openai", "--slm-base-url", "http://127.0.0.1:9/v1",
        "--slm-model", "s", "--llm-provider", "openai", "--llm-base-url", "http://127.0.0.1:9/v1", "--llm-model", "l"};

    @TempDir
    Path dir;

    static CliRun serve(String... args) {
        String[] all = new String[1 + args.length + MODELS.length];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(MODELS, 0, all, 1 + args.length, MODELS.length);
        return CliRun.of(all);
    }

    @Test
    void should_refuse_every_interface_without_client_keys() {
        // when
        CliRun run = serve("--host", "0.0.0.0", "--port", "0");
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("--api-keys").contains("loopback");
    }

    @Test
    void should_refuse_a_key_file_without_keys_naming_it() throws Exception {
        // given
        Path keys = Files.writeString(dir.resolve("keys.txt"), "# nobody yet\n");
        // when
        CliRun run = serve("--api-keys", keys.toString(), "--port", "0");
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("keys.txt").contains("holds no API key");
    }

    @Test
    void should_refuse_bad_limits_naming_flag_and_value() {
        assertThat(serve("--port", "70000").err()).contains("--port").contains("70000");
        assertThat(serve("--max-concurrent", "0").err()).contains("--max-concurrent").contains("was 0");
        assertThat(serve("--spend-cap", "-1").err()).contains("--spend-cap").contains("-1");
        assertThat(serve("--policy", "oracle-routing").err()).contains("--policy").contains("oracle-routing");
    }

    @Test
    void should_refuse_a_database_that_is_not_a_jdbc_url_naming_the_option() {
        // when
        CliRun run = serve("--port", "0", "--database", "postgres://db:5432/shepherd?password=secret");
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("--database").contains("jdbc:h2:file:").contains("postgres://db:5432/shepherd")
                .doesNotContain("secret");
    }

    @Test
    void should_refuse_a_database_that_cannot_be_opened_naming_the_option() {
        // given: an H2 path implicitly relative to the working directory, which H2 refuses
        // when
        CliRun run = serve("--port", "0", "--database", "jdbc:h2:file:relative-db");
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("--database").contains("cannot open jdbc:h2:file:relative-db");
    }

    @Test
    void should_refuse_cap_options_without_what_they_need() {
        assertThat(serve("--cap-outage", "FAIL_CLOSED").err()).contains("--cap-outage").contains("needs --database");
        assertThat(serve("--database", "jdbc:h2:file:" + dir.resolve("db"), "--cap-name", "fleet").err())
                .contains("--cap-name").contains("needs --spend-cap");
        assertThat(serve("--database-user", "shepherd").err()).contains("--database-user").contains("needs --database");
        assertThat(serve("--cap-outage", "SOMETIMES").err()).contains("--cap-outage").contains("SOMETIMES");
    }
}
