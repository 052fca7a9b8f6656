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
    public enum Role { SYSTEM, USER, ASSISTANT }

    public PromptMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
    }

    public static PromptMessage system(String text) {
        return new PromptMessage(Role.SYSTEM, text);
    }

    public static PromptMessage user(String text) {
        return new PromptMessage(Role.USER, text);
    }

    public static PromptMessage assistant(String text) {
        return new PromptMessage(Role.ASSISTANT, text);
    }
}
