package dev.shepherd.cli.live;

import dev.shepherd.cli.InputException;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.AgreementCascade;
import dev.shepherd.core.policy.LlmOnly;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.policy.SlmOnly;

import java.util.List;

/** Builds core policies from command-line names. Stateless and thread-safe. */
public final class Policies {

    /** Policies that need no predictor. */
    public static final List<String> WITHOUT_PREDICTOR = List.of("slm-only", "llm-only", "fixed-hint", "agreement-cascade");
    /** Policies that need a predictor bundle. */
    public static final List<String> WITH_PREDICTOR = List.of("proactive-shepherding", "reactive-shepherding");

    private Policies() {
    }

    /**
     * Builds a policy.
     *
     * @param name one of {@link #WITHOUT_PREDICTOR} or {@link #WITH_PREDICTOR}
     * @param predictor the predictor, or {@code null}
     * @param rule the predictor's decision rule, or {@code null}
     * @param hintTokens the hint size of {@code fixed-hint}
     * @param samples K of the reactive and cascade policies
     * @param agreement k of the reactive and cascade policies
     * @return the policy
     * @throws InputException for an unknown name, or a predictor policy without a predictor
     */
    public static ShepherdingPolicy of(String name, HintPredictor predictor, HintDecisionRule rule, int hintTokens,
                                       int samples, int agreement) {
        if (WITH_PREDICTOR.contains(name) && predictor == null) {
            throw new InputException("--policy", 0, null, name + " needs a predictor: pass --predictor BUNDLE");
        }
        return switch (name) {
            case "slm-only" -> SlmOnly.create();
            case "llm-only" -> LlmOnly.create();
            case "fixed-hint" -> {
                if (hintTokens < 1) {
                    throw new InputException("--hint-tokens", 0, null, "must be >= 1 but was " + hintTokens);
                }
                yield ProactiveShepherding.of(HintPredictor.constant(1.0, hintTokens),
                        new HintDecisionRule(0.0, hintTokens, hintTokens));
            }
            case "agreement-cascade" -> AgreementCascade.of(samples, agreement);
            case "proactive-shepherding" -> ProactiveShepherding.of(predictor, rule);
            case "reactive-shepherding" -> ReactiveShepherding.builder().samples(samples).agreement(agreement)
                    .predictor(predictor).rule(rule).build();
            default -> throw new InputException("--policy", 0, null, "unknown policy '" + name + "'; expected one of "
                    + WITHOUT_PREDICTOR + " or, with --predictor, " + WITH_PREDICTOR);
        };
    }
}
