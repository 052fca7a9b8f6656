/**
 * Reading answers: {@link dev.shepherd.core.answer.AnswerExtractor} pulls the final answer out of a
 * response so that samples can be compared ({@link dev.shepherd.core.answer.Votes} counts agreement),
 * {@link dev.shepherd.core.answer.QualityFunction} is the quality function φ that scores an answer
 * against a reference, and {@link dev.shepherd.core.answer.ConfidenceParser} reads the stated confidence
 * of the confidence cascade. Stateless and thread-safe.
 */
package dev.shepherd.core.answer;
