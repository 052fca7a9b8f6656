package dev.shepherd.cli;

import dev.shepherd.cli.dataset.TaskKind;
import dev.shepherd.cli.eval.Prompts;
import dev.shepherd.cli.live.ModelOptions;
import dev.shepherd.cli.live.ModelSetup;
import dev.shepherd.cli.live.Models;
import dev.shepherd.cli.live.LiveEvaluator;
import dev.shepherd.cli.live.Policies;
import dev.shepherd.cli.live.PolicyPredictors;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.Query;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.onnx.OnnxHintPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code shepherd ask}: one shepherded answer, printing the decision, the hint and the cost. Not thread-safe. */
@Command(name = "ask", mixinStandardHelpOptions = true, description = "Answer one question with the configured "
        + "models and print the decision, the hint and the cost.",
        footer = {"", "Example:", "  shepherd ask \"What is 17 * 23?\" --config models.properties"})
final class AskCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "QUESTION", description = "The question.")
    String question;

    @Option(names = "--task", paramLabel = "KIND", defaultValue = "MATH", description = "MATH, CODE or TEXT: the instruction and answer "
            + "extraction (default: ${DEFAULT-VALUE}).")
    TaskKind task;

    @Option(names = "--policy", paramLabel = "NAME", description = "slm-only, llm-only, fixed-hint, agreement-cascade, proactive-shepherding,"
            + " reactive-shepherding (default: proactive-shepherding with --predictor, else fixed-hint).")
    String policy;

    @Option(names = "--hint-tokens", paramLabel = "N", defaultValue = "32", description = "Hint size of fixed-hint (default: ${DEFAULT-VALUE}).")
    int hintTokens;

    @Option(names = "--samples", paramLabel = "K", defaultValue = "3", description = "K SLM samples (reactive, cascade; default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--agreement", paramLabel = "K", defaultValue = "3", description = "k agreeing samples (default: ${DEFAULT-VALUE}).")
    int agreement;

    @Option(names = "--predictor", paramLabel = "BUNDLE", description = "A predictor bundle (shepherd train).")
    Path predictor;

    @Mixin
    ModelOptions models;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelSetup setup = models.resolve();
        String name = policy != null ? policy : predictor != null ? "proactive-shepherding" : "fixed-hint";
        OnnxHintPredictor p = predictor == null ? null : Predictors.open(predictor);
        try (Models m = Models.open(setup, spec.commandLine().getErr())) {
            PolicyPredictors.Selection sel = p == null || !Policies.WITH_PREDICTOR.contains(name) ? null
                    : Predictors.policyPredictors(predictor, p, !explicitAgreement()).select(name);
            ShepherdingPolicy pol = Policies.of(name, sel, new LiveEvaluator.PolicyKnobs(hintTokens, samples,
                    sel != null && sel.agreement() != null ? sel.agreement() : agreement), null);
            // llm-only asked for the large model's answer: its failure fails the command. Every other policy may
            // fall back to the small model's answer, and says so in the output.
            Shepherd shepherd = Shepherd.builder().small(m.small()).large(m.large()).policy(pol)
                    .costModel(setup.prices()).template(Prompts.forKind(task)).extractor(extractor(task))
                    .largeMaxOutputTokens(setup.maxOutputTokens(ModelRole.LARGE))
                    .failureMode(name.equals("llm-only") ? FailureMode.STRICT : FailureMode.FALLBACK_TO_SMALL)
                    .build();
            ShepherdResult r = shepherd.answer(Query.of(question));
            print(spec.commandLine().getOut(), name, r);
        } finally {
            if (p != null) {
                p.close();
            }
        }
        return ShepherdCli.EXIT_OK;
    }

    private boolean explicitAgreement() {
        return spec.commandLine().getParseResult().hasMatchedOption("--agreement");
    }

    static AnswerExtractor extractor(TaskKind kind) {
        return switch (kind) {
            case MATH -> AnswerExtractor.math();
            case CODE -> AnswerExtractor.code();
            case TEXT -> AnswerExtractor.normalizedText();
        };
    }

    private static void print(PrintWriter out, String policy, ShepherdResult r) {
        out.println("policy:   " + policy);
        out.println("decision: " + r.decision());
        if (r.hint() != null) {
            out.println("hint:     " + r.hint().tokens() + " tokens: " + oneLine(r.hint().text()));
        }
        if (r.notes().contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE)) {
            String why = r.calls().stream().filter(c -> c.failed() && c.role() == ModelRole.LARGE)
                    .map(CallRecord::error).findFirst().orElse("failed");
            out.println("fallback: the large model failed, so the small model answered alone (policy " + policy
                    + " allows it; llm-only does not): " + why);
        }
        out.println("answer:   " + r.text().strip());
        out.println("calls:");
        for (CallRecord c : r.calls()) {
            out.println(String.format(Locale.ROOT, "  %-5s %-8s %-30s in %5d  out %5d  $%.6f  %d ms%s", c.tier(),
                    c.purpose().name().toLowerCase(Locale.ROOT), c.model(), c.inputTokens(), c.outputTokens(),
                    c.costUsd(), c.latency().toMillis(), c.failed() ? "  FAILED: " + c.error() : ""));
        }
        out.println(String.format(Locale.ROOT, "cost:     $%.6f%s", r.costUsd(),
                r.notes().isEmpty() ? "" : "  notes: " + String.join(", ", r.notes())));
        out.flush();
    }

    private static String oneLine(String s) {
        return s.replace("\r", "").replace("\n", " ⏎ ");
    }
}
