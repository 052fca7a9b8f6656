package dev.shepherd.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.shepherd.langchain4j.ShepherdChatResponseMetadata;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a shepherded response says about itself, as response headers ({@code x-shepherd-*}) and as the
 * extra {@code shepherd} object of the body. Stateless.
 */
public final class ShepherdFields {

    private ShepherdFields() {
    }

    /** The metadata, or {@code null} when the model is not a shepherd model. */
    public static ShepherdChatResponseMetadata metadata(ChatResponse response) {
        return response.metadata() instanceof ShepherdChatResponseMetadata md ? md : null;
    }

    /** {@code small} when the small model's text answers (with or without a hint), {@code large} when the large one's does. */
    public static String tier(ShepherdChatResponseMetadata md, String largeName) {
        return largeName != null && largeName.equals(md.modelName()) ? "large" : "small";
    }

    /** The headers, in a stable order; values are printable ASCII. */
    public static Map<String, String> headers(ShepherdChatResponseMetadata md, String largeName) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-shepherd-request-id", ascii(md.id()));
        h.put("x-shepherd-policy", ascii(md.policy()));
        h.put("x-shepherd-decision", md.decision().toString());
        h.put("x-shepherd-tier", tier(md, largeName));
        h.put("x-shepherd-hint-tokens", String.valueOf(md.hintTokens()));
        h.put("x-shepherd-cost-usd", usd(md.costUsd()));
        if (!md.notes().isEmpty()) {
            h.put("x-shepherd-notes", ascii(String.join(",", md.notes())));
        }
        return h;
    }

    /** The {@code shepherd} object of a body or of a stream's last chunk. */
    public static ObjectNode body(ObjectMapper json, ShepherdChatResponseMetadata md, String largeName) {
        ObjectNode o = json.createObjectNode();
        o.put("request_id", md.id());
        o.put("policy", md.policy());
        o.put("decision", md.decision().toString());
        o.put("tier", tier(md, largeName));
        o.put("model", md.modelName());
        o.put("hint_tokens", md.hintTokens());
        o.put("cost_usd", md.costUsd());
        o.set("small_usage", usage(json, md.smallTokenUsage()));
        o.set("large_usage", usage(json, md.largeTokenUsage()));
        o.put("degraded", md.degraded());
        md.notes().forEach(o.putArray("notes")::add);
        return o;
    }

    /** OpenAI's {@code usage} object. */
    public static ObjectNode usage(ObjectMapper json, TokenUsage usage) {
        ObjectNode u = json.createObjectNode();
        int in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        u.put("prompt_tokens", in);
        u.put("completion_tokens", out);
        u.put("total_tokens", in + out);
        return u;
    }

    /** OpenAI's {@code finish_reason}. */
    public static String finishReason(FinishReason reason) {
        if (reason == FinishReason.LENGTH) {
            return "length";
        }
        if (reason == FinishReason.CONTENT_FILTER) {
            return "content_filter";
        }
        return "stop";
    }

    /**
     * Dollars to 9 decimals (half up), trailing zeros cut but one decimal kept: {@code 0.000012}, {@code 1.0}.
     * BigDecimal rather than {@code String.format} and regexes: this runs once per answer.
     */
    static String usd(double d) {
        if (!Double.isFinite(d)) {
            return String.valueOf(d);
        }
        String s = BigDecimal.valueOf(d).setScale(9, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        return s.indexOf('.') < 0 ? s + ".0" : s;
    }

    private static String ascii(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && sb.length() < 512; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
