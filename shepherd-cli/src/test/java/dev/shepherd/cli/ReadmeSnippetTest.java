package dev.shepherd.cli;

import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.ReplayEvaluator;
import dev.shepherd.cli.eval.TokenCounter;
import dev.shepherd.cli.report.JsonReportWriter;
import dev.shepherd.cli.report.ReportWriter;
import dev.shepherd.cli.report.TableFormatter;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.trace.RouteLlmCsv;
import dev.shepherd.trace.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the README's Java snippet compiling and working. */
class ReadmeSnippetTest {

    @TempDir
    Path out;

    @Test
    void should_run_the_readme_snippet() {
        Path csv = SharedFiles.require("data/routellm_gsm8k_responses.dev.csv");
        // --- README snippet start
        Trace trace = RouteLlmCsv.read(csv);                                    // or TraceJsonl.read(file)
        CostModel prices = CostModel.localSmall(TokenPrices.paperLlama70b());   // SLM free, LLM $0.59 / $0.79 per M
        EvalReport report = new ReplayEvaluator(TokenCounter.cl100k(), prices, 0.5).evaluate(trace, null);
        System.out.print(TableFormatter.format(report));
        JsonReportWriter.write(report, out.resolve("out.json"));
        ReportWriter.write(report, out.resolve("report"));                     // report.md, .html, plot .png/.svg
        // --- README snippet end
        assertThat(report.strategy("oracle-routing")).isPresent();
        assertThat(out.resolve("report").resolve("report.md")).isNotEmptyFile();
    }
}
