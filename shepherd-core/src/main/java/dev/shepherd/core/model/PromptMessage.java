package dev.shepherd.core.model;

import java.util.Objects;

/**
 * One chat message of a prompt, provider-neutral. Immutable.
 *
 * @param role who speaks
 * @param text what is said
 */
public record PromptMessage(Role role, String text) {

    /** Chat roles that every backend understands. */
    public enum Role {
        /** Instructions that frame the conversation. */
        SYSTEM,
        /** The user's turn; the rendered question is one. */
        USER,
        /** The model's turn. */
        ASSISTANT
    }

    /** Rejects a null role or text. */
    public PromptMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
    }

    /** A system message. */
    public static PromptMessage system(String text) {
        return new PromptMessage(Role.SYSTEM, text);
    }

    /** A user message. */
    public static PromptMessage user(String text) {
        return new PromptMessage(Role.USER, text);
    }

    /** An assistant message. */
    public static PromptMessage assistant(String text) {
        return new PromptMessage(Role.ASSISTANT, text);
    }
}
