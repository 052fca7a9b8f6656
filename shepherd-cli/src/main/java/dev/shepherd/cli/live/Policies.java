package dev.shepherd.cli.live;

import dev.shepherd.cli.InputException;
import dev.shepherd.core.ShepherdException;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.AgreementCascade;
import dev.shepherd.core.policy.ConfidenceCascade;
import dev.shepherd.core.policy.LargeOnly;
import dev.shepherd.core.policy.OracleRouting;
import dev.shepherd.core.policy.OracleShepherding;
import dev.shepherd.core.policy.PredictorRouting;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.policy.SmallInitiatedHelp;
import dev.shepherd.core.policy.SmallOnly;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builds core policies from command-line names and checks names before any model call. Stateless, thread-safe. */
public final class Policies {

    /** Every strategy name, in report order. */
    public static final List<String> NAMES = List.of("slm-only", "llm-only", "oracle-routing", "routing",
            "random-routing", "fixed-hint", "agreement-cascade", "confidence-cascade", "slm-initiated-help",
            "proactive-shepherding", "reactive-shepherding", "oracle-shepherding");
    /** Strategies live eval always reports, derived from the slm-only and llm-only answers where possible. */
    public static final List<String> ALWAYS = List.of("slm-only", "llm-only", "oracle-routing", "random-routing");
    /** Policies that need no predictor (and no labels). */
    public static final List<String> WITHOUT_PREDICTOR = List.of("slm-only", "llm-only", "fixed-hint",
            "agreement-cascade", "confidence-cascade", "slm-initiated-help");
    /** Policies that need a predictor bundle. */
    public static final List<String> WITH_PREDICTOR = List.of("routing", "proactive-shepherding",
            "reactive-shepherding");
    /** Policies that need n* labels ({@code --labels FILE}). */
    public static final List<String> WITH_LABELS = List.of("oracle-routing", "oracle-shepherding");

    private static final Set<String> REACTIVE_FEATURES = Set.of(Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH);

    private Policies() {
    }

    /**
     * The live-eval default besides {@link #ALWAYS}: fixed-hint and agreement-cascade; proactive- and
     * reactive-shepherding with a predictor; oracle-shepherding with labels.
     */
    public static List<String> defaults(boolean predictor, boolean labels) {
        List<String> out = new ArrayList<>(List.of("fixed-hint", "agreement-cascade"));
        if (predictor) {
            out.addAll(List.of("proactive-shepherding", "reactive-shepherding"));
        }
        if (labels) {
            out.add("oracle-shepherding");
        }
        return out;
    }

    /**
     * Checks strategy names for live eval, before anything is called: every name must be one of {@link #NAMES};
     * {@link #WITH_PREDICTOR} names need a predictor and {@code oracle-shepherding} needs labels
     * ({@code oracle-routing} is derived from the answers without labels).
     *
     * @param names the names
     * @param predictor whether a predictor is given
     * @param labels whether labels are given
     * @param option the option the names came from, for the message
     * @throws InputException naming the first bad name and listing the valid ones
     */
    public static void check(List<String> names, boolean predictor, boolean labels, String option) {
        for (String name : names) {
            if (!NAMES.contains(name)) {
                throw new InputException(option, 0, null, "unknown strategy '" + name + "'; valid: "
                        + String.join(", ", NAMES) + " (routing, proactive-shepherding and reactive-shepherding need "
                        + "--predictor BUNDLE; oracle-shepherding needs --labels FILE)");
            }
            if (WITH_PREDICTOR.contains(name) && !predictor) {
                throw new InputException(option, 0, null, name + " needs a predictor: pass --predictor BUNDLE, or "
                        + "leave it out; without one the valid strategies are " + String.join(", ", valid(false, labels)));
            }
            if (name.equals("oracle-shepherding") && !labels) {
                throw new InputException(option, 0, null, name + " needs n* labels: pass --labels FILE (from shepherd "
                        + "label), or leave it out; without them the valid strategies are "
                        + String.join(", ", valid(predictor, false)));
            }
        }
    }

    private static List<String> valid(boolean predictor, boolean labels) {
        return NAMES.stream().filter(n -> predictor || !WITH_PREDICTOR.contains(n))
                .filter(n -> labels || !n.equals("oracle-shepherding")).toList();
    }

    /**
     * Builds a policy with the default knobs except those given.
     *
     * @param name one of {@link #WITHOUT_PREDICTOR} or {@link #WITH_PREDICTOR}
     * @param predictor the predictor, or {@code null}
     * @param rule the predictor's decision rule, or {@code null}
     * @param hintTokens the hint size of {@code fixed-hint}
     * @param samples K of the reactive and cascade policies
     * @param agreement k of the reactive and cascade policies
     * @return the policy
     * @throws InputException for an unknown name, a predictor policy without a predictor, or a bad knob
     */
    public static ShepherdingPolicy of(String name, HintPredictor predictor, HintDecisionRule rule, int hintTokens,
                                       int samples, int agreement) {
        return of(name, predictor, rule, new LiveEvaluator.PolicyKnobs(hintTokens, samples, agreement), null);
    }

    /**
     * Builds a policy.
     *
     * @param name one of {@link #NAMES} except {@code random-routing}
     * @param predictor the predictor, or {@code null}
     * @param rule the predictor's decision rule (routing uses its α), or {@code null}
     * @param knobs the knobs
     * @param labels n* labels for the oracles, or {@code null}
     * @return the policy
     * @throws InputException for an unknown name, a missing predictor or labels, a predictor whose features do not
     *                        fit the policy, or a bad knob
     */
    public static ShepherdingPolicy of(String name, HintPredictor predictor, HintDecisionRule rule,
                                       LiveEvaluator.PolicyKnobs knobs, LiveEvaluator.OracleLabels labels) {
        return of(name, predictor == null ? null : new PolicyPredictors.Selection(predictor, requireRule(name, rule),
                null, null), knobs, labels);
    }

    /**
     * Builds a policy from what its predictor selection says (heads, rule, entropy definition).
     *
     * @param selection the predictor selection for predictor policies, or {@code null}
     * @throws InputException as {@link #of(String, HintPredictor, HintDecisionRule, LiveEvaluator.PolicyKnobs,
     *                        LiveEvaluator.OracleLabels)}
     */
    public static ShepherdingPolicy of(String name, PolicyPredictors.Selection selection,
                                       LiveEvaluator.PolicyKnobs knobs, LiveEvaluator.OracleLabels labels) {
        HintPredictor predictor = selection == null ? null : selection.predictor();
        HintDecisionRule rule = selection == null ? null : selection.rule();
        if (WITH_PREDICTOR.contains(name)) {
            if (predictor == null) {
                throw new InputException("--policy", 0, null, name + " needs a predictor: pass --predictor BUNDLE");
            }
            checkFeatures(name, predictor);
        }
        if (WITH_LABELS.contains(name) && labels == null) {
            throw new InputException("--policy", 0, null, name + " needs n* labels: pass --labels FILE");
        }
        try {
            return switch (name) {
                case "slm-only" -> SmallOnly.create();
                case "llm-only" -> LargeOnly.create();
                case "fixed-hint" -> {
                    if (knobs.hintTokens() < 1) {
                        throw new InputException("--hint-tokens", 0, null, "must be >= 1 but was " + knobs.hintTokens());
                    }
                    yield ProactiveShepherding.builder().predictor(HintPredictor.constant(1.0, knobs.hintTokens()))
                            .rule(new HintDecisionRule(0.0, knobs.hintTokens(), knobs.hintTokens())).build();
                }
                case "agreement-cascade" -> AgreementCascade.builder().samples(knobs.samples())
                        .agreement(knobs.agreement()).build();
                case "confidence-cascade" -> {
                    double t = knobs.confidenceThreshold();
                    if (!(t >= 0 && t <= 1)) {
                        throw new InputException("--confidence-threshold", 0, null, "must be in [0, 1] but was " + t);
                    }
                    yield ConfidenceCascade.builder().threshold(t).build();
                }
                case "slm-initiated-help" -> SmallInitiatedHelp.builder().build();
                case "routing" -> PredictorRouting.builder().predictor(predictor)
                        .threshold(requireRule(name, rule).alpha()).build();
                case "proactive-shepherding" -> ProactiveShepherding.builder().predictor(predictor)
                        .rule(requireRule(name, rule)).build();
                case "reactive-shepherding" -> ReactiveShepherding.builder().samples(knobs.samples())
                        .agreement(knobs.agreement()).predictor(predictor).rule(requireRule(name, rule))
                        .entropySource(selection.entropy()).build();
                case "oracle-routing" -> OracleRouting.builder().minimumHintTokens(labels.nStar()).build();
                case "oracle-shepherding" -> OracleShepherding.builder().minimumHintTokens(labels.nStar())
                        .noHintPasses(labels.noHintPasses()).build();
                default -> throw new InputException("--policy", 0, null, "unknown policy '" + name + "'; expected one "
                        + "of " + WITHOUT_PREDICTOR + " or, with --predictor, " + WITH_PREDICTOR);
            };
        } catch (IllegalArgumentException | IllegalStateException | ShepherdException e) {
            throw new InputException("--policy", 0, null, name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that the predictor's features fit the policy: routing and proactive shepherding see the query alone;
     * reactive shepherding supplies exactly the mean entropy and mean output length of its samples.
     *
     * @throws InputException when they do not fit (the policy would fail on every query)
     */
    public static void checkFeatures(String name, HintPredictor predictor) {
        String misfit = misfit(name, predictor);
        if (misfit != null) {
            throw new InputException("--predictor", 0, null, misfit);
        }
    }

    /**
     * Why the predictor's features do not fit the policy, or {@code null} when they do (see {@link #checkFeatures}).
     */
    public static String misfit(String name, HintPredictor predictor) {
        Set<String> needed = predictor.requiredFeatures();
        boolean reactive = name.equals("reactive-shepherding");
        boolean fits = reactive ? REACTIVE_FEATURES.containsAll(needed) : needed.isEmpty();
        if (fits) {
            return null;
        }
        return name + " does not fit this predictor: it needs features " + (needed.isEmpty() ? "[] (query-only)"
                : needed) + " but " + name + " supplies " + (reactive ? REACTIVE_FEATURES + " (train a reactive "
                + "bundle on labels with those features)" : "none (the query alone; use a query-only bundle)");
    }

    private static HintDecisionRule requireRule(String name, HintDecisionRule rule) {
        if (rule == null) {
            throw new IllegalArgumentException(name + " needs the predictor's decision rule");
        }
        return rule;
    }
}
