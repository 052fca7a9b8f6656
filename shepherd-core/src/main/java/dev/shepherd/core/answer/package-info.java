/**
 * Reading answers: {@link AnswerExtractor} pulls the final answer out of a
 * response so that samples can be compared ({@link Votes} counts agreement),
 * {@link QualityFunction} is the quality function φ that scores an answer
 * against a reference, and {@link ConfidenceParser} reads the stated confidence
 * of the confidence cascade. Stateless and thread-safe.
 */
package dev.shepherd.core.answer;
