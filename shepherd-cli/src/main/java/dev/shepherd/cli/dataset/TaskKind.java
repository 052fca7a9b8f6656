package dev.shepherd.cli.dataset;

/** How answers to a dataset's queries are judged. */
public enum TaskKind {
    /** Exact match of the extracted final number ({@code AnswerExtractor.math()}). */
    MATH,
    /** The model's program is run against the example's tests in a Python sandbox. */
    CODE,
    /** Exact match of the normalised answer text. */
    TEXT
}
