package dev.shepherd.core.cost;

/** Why a model call was made within a request. */
public enum CallPurpose {
    /** The answer returned to the caller (or the small model's answer after a hint). */
    ANSWER,
    /** One of the K small-model samples of reactive shepherding or agreement cascading. */
    SAMPLE,
    /** A capped large-model prefix bought as a hint. */
    HINT,
    /** A large-model continuation requested by the small model itself. */
    HELP,
    /** A small-model answer with a stated confidence (confidence cascade). */
    CONFIDENCE
}
