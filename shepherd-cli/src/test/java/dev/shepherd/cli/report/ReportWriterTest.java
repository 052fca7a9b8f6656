package dev.shepherd.cli.report;

import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.NotComputable;
import dev.shepherd.cli.eval.ReplayEvaluator;
import dev.shepherd.cli.eval.StrategyResult;
import dev.shepherd.cli.eval.TokenCounter;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.trace.SyntheticLadder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportWriterTest {

    static final EvalReport REPORT = new EvalReport("toy", 10, "cl100k_base", "s", "l",
            CostModel.localSmall(TokenPrices.paperLlama70b()),
            List.of(StrategyResult.point("slm-only", 0.6, 0, 0, 0, ""),
                    StrategyResult.point("llm-only", 1.0, 10, 10, 0, ""),
                    StrategyResult.point("cheap", 0.95, 4, 3, 120, "")),
            List.of(new NotComputable("reactive-shepherding", "no samples")), List.of("a note"));

    @TempDir
    Path dir;

    @Test
    void should_print_paper_style_table_with_derived_columns() {
        // when
        String table = TableFormatter.format(REPORT);
        // then: cheap: ACE = (0.35/0.4)/(0.4) = 2.1875, reduction 60 %, reaches 90 % of A_l at $4
        assertThat(table).contains("cheap").contains("95.0 %").contains("60.0 %").contains("2.19").contains("4.0000");
        assertThat(table).contains("reactive-shepherding: no samples").contains("slm-only").contains("not reached");
    }

    @Test
    void should_write_the_ladder_against_its_best_pair_into_markdown_and_html() {
        // given: a SIMULATED four-model ladder
        ReplayEvaluator.Builder b = ReplayEvaluator.builder(TokenCounter.cl100k());
        for (int j = 0; j < 4; j++) {
            b.price(SyntheticLadder.MODELS.get(j), TokenPrices.perMillion(SyntheticLadder.PRICES[j][0],
                    SyntheticLadder.PRICES[j][1]), "--price");
        }
        EvalReport ladder = b.build().evaluate(SyntheticLadder.generate(120, 3, true), null, null);
        // when
        String md = ReportWriter.markdown(ladder);
        String html = ReportWriter.html(ladder);
        // then: the comparison table, the criterion and every pair's strategies
        assertThat(md).contains("## The ladder vs the best two-model pair", "|strategy|models|accuracy|",
                "|pair agreement-cascade|", "best pair: the pair whose cascade or router reaches 90 %",
                "|tiny-1b -> small-8b|agreement-cascade|");
        assertThat(html).contains("<h2>The ladder vs the best two-model pair</h2>", "<td>pair oracle-routing</td>",
                "<th>min cost @90% top</th>");
        assertThat(ReportWriter.markdown(REPORT)).doesNotContain("best two-model pair");
    }

    @Test
    void should_show_a_failed_column_only_when_some_strategy_failed() {
        // given
        EvalReport failed = new EvalReport("toy", 10, "cl100k_base", "s", "l",
                CostModel.localSmall(TokenPrices.paperLlama70b()),
                List.of(StrategyResult.point("slm-only", 0.6, 0, 0, 0, ""),
                        StrategyResult.point("llm-only", 1.0, 10, 10, 0, ""),
                        StrategyResult.point("flaky", 0.7, 4, 3, 0, "failed on 2 of 10 queries", 2)),
                List.of(), List.of());
        // when
        String table = TableFormatter.format(failed);
        // then
        assertThat(TableFormatter.format(REPORT)).doesNotContain("failed");
        assertThat(table).containsPattern("min cost @90% A_l +failed\n").containsPattern("flaky .* 2\n")
                .containsPattern("slm-only .* 0\n");
        assertThat(JsonReportWriter.toJson(failed).get("strategies").get(2).get("failures").asInt()).isEqualTo(2);
        assertThat(ReportWriter.markdown(failed)).contains("|failed|", "|2|", "failed on 2 of 10 queries");
        assertThat(ReportWriter.html(failed)).contains("<th>failed</th>");
    }

    @Test
    void should_write_every_report_file() throws IOException {
        // when
        ReportWriter.write(REPORT, dir.resolve("out"));
        // then
        for (String f : ReportWriter.FILES) {
            assertThat(dir.resolve("out").resolve(f)).isNotEmptyFile();
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("out");
        }
    }

    @Test
    void should_leave_no_partial_report_when_the_target_cannot_be_created() throws IOException {
        // given: a file stands where the report directory should go
        Path blocker = dir.resolve("out");
        Files.writeString(blocker, "not a directory");
        // when / then
        assertThatThrownBy(() -> ReportWriter.write(REPORT, blocker)).isInstanceOf(UncheckedIOException.class);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("out");
        }
        assertThat(Files.readString(blocker)).isEqualTo("not a directory");
    }
}
