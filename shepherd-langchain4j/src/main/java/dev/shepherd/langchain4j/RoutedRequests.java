package dev.shepherd.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.model.PromptMessage;
import dev.shepherd.core.policy.PolicyContext;
import dev.shepherd.core.policy.PolicyOutcome;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.tier.Tiers;
import dev.shepherd.langchain4j.internal.ModelErrors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Requests shepherding cannot handle — tool specifications or tool messages, a JSON response
 * format, non-text content such as images — sent unchanged to one tier, through the same
 * {@link Shepherd} executor: the call is priced, checked against the spend cap, recorded in one
 * ledger entry (policy {@value #POLICY}, note {@code "routed-unchanged: <reasons>"}), and handled by
 * the failure mode like any call of that tier. Stateless; thread-safe.
 */
final class RoutedRequests {

    /** The ledger's policy name of a routed request. */
    static final String POLICY = "routed-unchanged";

    private RoutedRequests() {
    }

    /** Why {@code request} cannot be shepherded; empty when it can. */
    static List<String> reasons(ChatRequest request) {
        List<String> reasons = new ArrayList<>(3);
        ChatRequestParameters p = request.parameters();
        if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            reasons.add("tool specifications");
        }
        if (p.responseFormat() != null && p.responseFormat().type() == ResponseFormatType.JSON) {
            reasons.add("JSON response format");
        }
        boolean toolMessages = false;
        boolean nonText = false;
        for (ChatMessage m : request.messages()) {
            toolMessages |= m instanceof ToolExecutionResultMessage
                    || (m instanceof AiMessage a && a.hasToolExecutionRequests());
            if (m instanceof UserMessage u) {
                for (Content c : u.contents()) {
                    nonText |= !(c instanceof TextContent);
                }
            }
        }
        if (toolMessages && reasons.isEmpty()) {
            reasons.add("tool messages");
        }
        if (nonText) {
            reasons.add("non-text content");
        }
        return reasons;
    }

    /** The capabilities LangChain4j lets a model declare that {@code request} needs. */
    static Set<Capability> needed(ChatRequest request) {
        Set<Capability> needed = EnumSet.noneOf(Capability.class);
        var format = request.parameters().responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON && format.jsonSchema() != null) {
            needed.add(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
        }
        return needed;
    }

    /**
     * The tier a routed request goes to: the configured one, else the bottom when its model declares
     * every capability the request needs and the request needs one LangChain4j lets it declare (tools
     * and images have none, so they go up), else the top.
     */
    static int target(ChatRequest request, Tiers tiers, List<ChatModel> models, String configured) {
        if (configured != null) {
            return tiers.indexOf(configured);
        }
        Set<Capability> needed = needed(request);
        boolean onlyDeclarable = reasons(request).equals(List.of("JSON response format"));
        if (onlyDeclarable && !needed.isEmpty() && models.get(0).supportedCapabilities().containsAll(needed)) {
            return 0;
        }
        return tiers.size() - 1;
    }

    /** Runs the request unchanged on tier {@code tier} of {@code base}'s ladder and answers LangChain4j's way. */
    static ChatResponse run(Shepherd base, List<ChatModel> models, int tier, ChatRequest request, List<String> reasons,
                            boolean estimateMissingUsage) {
        Tiers tiers = base.tiers();
        Unchanged raw = new Unchanged(models.get(tier), tiers.get(tier).model().name(), Tiers.roleOf(tier), request,
                estimateMissingUsage);
        Shepherd shepherd = base.toBuilder().tiers(tiers.withModel(tier, raw)).costModel(base.costModel())
                .policy(new Route(tier, reasons, request)).build();
        ShepherdResult result = shepherd.answer(Query.of(summary(request)));
        ChatResponse response = raw.response;
        ChatResponse shaped = Responses.toChatResponse(result, POLICY, tiers.bottom().model().name(),
                tiers.top().model().name());
        if (response == null || result.degraded()) {
            // The tier failed and the failure mode fell back: the bottom's text answer, flagged.
            return shaped;
        }
        ShepherdChatResponseMetadata metadata = ((ShepherdChatResponseMetadata) shaped.metadata()).toBuilder()
                .finishReason(response.finishReason()).build();
        return ChatResponse.builder().aiMessage(response.aiMessage()).metadata(metadata).build();
    }

    /** A short, non-blank query text for the ledger entry and the fallback: the last user text, if any. */
    private static String summary(ChatRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            if (request.messages().get(i) instanceof UserMessage u && u.hasSingleText() && !u.singleText().isBlank()) {
                return u.singleText();
            }
        }
        return "(routed " + request.messages().size() + " messages)";
    }

    /** The one-call policy of a routed request. */
    private static final class Route implements ShepherdingPolicy {
        private final int tier;
        private final List<String> reasons;
        private final ChatRequest request;

        Route(int tier, List<String> reasons, ChatRequest request) {
            this.tier = tier;
            this.reasons = reasons;
            this.request = request;
        }

        @Override
        public String name() {
            return POLICY;
        }

        @Override
        public PolicyOutcome apply(Query query, PolicyContext context) {
            // The prompt the executor sees is only the bound of the spend cap's worst case: every byte
            // of the messages, the tool specifications and the format, as LangChain4j prints them.
            String everything = request.messages() + " " + request.parameters().toolSpecifications() + " "
                    + request.parameters().responseFormat();
            Completion c = context.tier(tier, GenerationRequest.builder()
                    .messages(List.of(PromptMessage.user(everything)))
                    .sampling(context.sampling())
                    .build(), CallPurpose.ANSWER);
            return new PolicyOutcome(c, tier == 0 ? Decision.smallOnly() : Decision.largeFull(), null,
                    List.of("routed-unchanged: " + String.join(", ", reasons), "tier " + context.tiers().get(tier).name()));
        }
    }

    /**
     * A generator that ignores the executor's prompt and sends the caller's request unchanged, except
     * for the executor's output cap when the caller set none (the spend cap's reservation relies on
     * it). It keeps the raw response, tool calls and all. One per request; not shared.
     */
    private static final class Unchanged implements Generator {
        private final ChatModel model;
        private final String name;
        private final ModelRole role;
        private final ChatRequest request;
        private final boolean estimateMissingUsage;
        volatile ChatResponse response;

        Unchanged(ChatModel model, String name, ModelRole role, ChatRequest request, boolean estimateMissingUsage) {
            this.model = model;
            this.name = name;
            this.role = role;
            this.request = request;
            this.estimateMissingUsage = estimateMissingUsage;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Completion generate(GenerationRequest generation) {
            ChatRequest send = request;
            if (request.parameters().maxOutputTokens() == null && generation.maxOutputTokens() != null) {
                send = request.toBuilder().parameters(request.parameters().overrideWith(
                        DefaultChatRequestParameters.builder().maxOutputTokens(generation.maxOutputTokens()).build()))
                        .build();
            }
            ChatResponse r;
            try {
                r = model.chat(send);
            } catch (RuntimeException e) {
                throw new ModelCallException(role, name, ModelErrors.describe(e), e, ModelErrors.rejected(e));
            }
            AiMessage ai = r.aiMessage();
            String text = ai.text() != null && !ai.text().isBlank() ? ai.text()
                    : ai.hasToolExecutionRequests() ? "[tool calls: " + ai.toolExecutionRequests().stream()
                    .map(t -> t.name()).toList() + "]" : "";
            TokenUsage usage = r.tokenUsage();
            int in;
            int out;
            if (usage != null && usage.inputTokenCount() != null && usage.outputTokenCount() != null) {
                in = usage.inputTokenCount();
                out = usage.outputTokenCount();
            } else if (estimateMissingUsage) {
                in = String.valueOf(send.messages()).getBytes(StandardCharsets.UTF_8).length / 4 + 1;
                out = text.getBytes(StandardCharsets.UTF_8).length / 4 + 1;
            } else {
                throw new ModelCallException(role, name, "reported no token usage");
            }
            response = r;
            var reason = r.finishReason();
            FinishReason finish = reason == null ? FinishReason.OTHER : switch (reason) {
                case LENGTH -> FinishReason.LENGTH;
                case STOP, TOOL_EXECUTION -> FinishReason.STOP;
                default -> FinishReason.OTHER;
            };
            return new Completion(text, in, out, finish, null);
        }
    }
}
