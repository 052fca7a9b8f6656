package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.PromptMessage;
import dev.shepherd.core.model.Sampling;
import java.util.List;

/**
 * SLM-initiated help (docs/method.md#other-schemes, RelayLLM-like): the small model is told, by an
 * instruction line appended to the prompt, that it may write a help marker ({@code [HELP]} by
 * default) when stuck. The library cuts the small model's text at the first marker, asks the
 * large model (greedy, at most {@code helpTokens} tokens, {@link CallPurpose#HELP}) to continue
 * the partial answer, appends that continuation and resumes the small model from there. At most
 * {@code maxRequests} help requests are made per query; after that, markers are removed and the
 * small model's text is final. When the large model's continuation ends the answer by itself
 * (finish reason {@code STOP}), the answer is complete and the small model is not resumed.
 *
 * <p>The decision is {@code SMALL_ONLY} when no help was asked and {@code HINT(n)} otherwise, n
 * being all large-model tokens bought. The returned completion's text is the whole answer (small
 * model's text plus continuations); its output tokens are the sum over all calls, its input
 * tokens the first call's. Every result is noted {@code "help-requests=<count>"}.
 *
 * <p>Needs backends that continue a prefilled assistant message
 * ({@link GenerationRequest#assistantPrefix()}). Immutable and thread-safe.
 */
public final class SmallInitiatedHelp implements ShepherdingPolicy {

    /** The default help marker. */
    public static final String DEFAULT_MARKER = "[HELP]";

    private final String marker;
    private final int helpTokens;
    private final int maxRequests;
    private final String instruction;

    private SmallInitiatedHelp(Builder b) {
        this.marker = b.marker;
        this.helpTokens = b.helpTokens;
        this.maxRequests = b.maxRequests;
        this.instruction = b.instruction != null ? b.instruction : defaultInstruction(b.marker);
    }

    /** A builder with the defaults: marker {@code [HELP]}, 64 help tokens, at most 2 requests. */
    public static Builder builder() {
        return new Builder();
    }

    /** The instruction appended to the prompt when none is set. */
    public static String defaultInstruction(String marker) {
        return "If you get stuck, write " + marker + " and stop; an expert will continue your reasoning "
                + "and you can then finish the answer.";
    }

    @Override
    public String name() {
        return "slm-initiated-help";
    }

    /** The help marker. */
    public String marker() {
        return marker;
    }

    /** The output cap of each large-model continuation. */
    public int helpTokens() {
        return helpTokens;
    }

    /** The most help requests per query. */
    public int maxRequests() {
        return maxRequests;
    }

    /** The instruction line appended to the prompt. */
    public String instruction() {
        return instruction;
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        List<PromptMessage> plain = context.template().messages(query, null);
        List<PromptMessage> instructed = ConfidenceCascade.withInstruction(plain, instruction);
        StringBuilder answer = new StringBuilder();
        int requests = 0;
        int bought = 0;
        int inputTokens = -1;
        int outputTokens = 0;
        FinishReason finish;
        while (true) {
            GenerationRequest.Builder request = GenerationRequest.builder().messages(instructed)
                    .sampling(context.sampling());
            if (answer.length() > 0) {
                request.assistantPrefix(answer.toString());
            }
            Completion part = context.small(request.build(), CallPurpose.ANSWER);
            inputTokens = inputTokens < 0 ? part.inputTokens() : inputTokens;
            outputTokens += part.outputTokens();
            finish = part.finishReason();
            int at = part.text().indexOf(marker);
            if (at < 0 || requests == maxRequests) {
                answer.append(part.text().replace(marker, ""));
                break;
            }
            answer.append(part.text(), 0, at);
            // Should the large model be unavailable, the small model's own text is the answer.
            String own = answer.toString().isBlank() ? part.text().replace(marker, "") : answer.toString();
            if (!own.isBlank()) {
                context.offerFallback(Completion.of(own, inputTokens, outputTokens, FinishReason.OTHER));
            }
            Completion help = context.large(GenerationRequest.builder().messages(plain)
                    .assistantPrefix(answer.length() == 0 ? null : answer.toString())
                    .maxOutputTokens(helpTokens)
                    .sampling(Sampling.GREEDY)
                    .build(), CallPurpose.HELP);
            requests++;
            bought += help.outputTokens();
            outputTokens += help.outputTokens();
            answer.append(help.text().replace(marker, ""));
            if (help.finishReason() == FinishReason.STOP) {
                finish = FinishReason.STOP;
                break;
            }
        }
        Decision decision = requests == 0 ? Decision.smallOnly() : Decision.hint(Math.max(1, bought));
        Completion whole = Completion.of(answer.toString(), Math.max(inputTokens, 0), outputTokens, finish);
        return new PolicyOutcome(whole, decision, null, List.of("help-requests=" + requests));
    }

    @Override
    public String toString() {
        return "SmallInitiatedHelp[marker=" + marker + ", helpTokens=" + helpTokens + ", maxRequests=" + maxRequests + "]";
    }

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private String marker = DEFAULT_MARKER;
        private int helpTokens = 64;
        private int maxRequests = 2;
        private String instruction;

        private Builder() {
        }

        /** The help marker the small model writes, non-blank; {@code [HELP]} by default. */
        public Builder marker(String marker) {
            this.marker = Arguments.nonBlank("marker", marker);
            return this;
        }

        /** Output cap of each large-model continuation, ≥ 1; 64 by default. */
        public Builder helpTokens(int tokens) {
            this.helpTokens = Arguments.atLeast("helpTokens", tokens, 1);
            return this;
        }

        /** Most help requests per query, ≥ 0 (0: markers are only removed); 2 by default. */
        public Builder maxRequests(int requests) {
            this.maxRequests = Arguments.atLeast("maxRequests", requests, 0);
            return this;
        }

        /** The instruction line appended to the prompt; by default {@link #defaultInstruction(String)}. */
        public Builder instruction(String instruction) {
            this.instruction = Arguments.nonBlank("instruction", instruction).strip();
            return this;
        }

        /** The policy. */
        public SmallInitiatedHelp build() {
            return new SmallInitiatedHelp(this);
        }
    }
}
