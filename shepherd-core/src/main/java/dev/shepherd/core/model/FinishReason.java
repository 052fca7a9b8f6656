package dev.shepherd.core.model;

/** Why a model stopped generating. {@link #LENGTH} is how a hint (a capped answer) ends. */
public enum FinishReason {
    /** Natural end of the answer or a stop sequence. */
    STOP,
    /** The output-token cap was reached. */
    LENGTH,
    /** Anything else the backend reports (content filter, tool call, unknown). */
    OTHER
}
