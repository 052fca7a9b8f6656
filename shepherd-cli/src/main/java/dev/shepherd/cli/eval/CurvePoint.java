package dev.shepherd.cli.eval;

/**
 * One operating point of a strategy that has a knob (a routing threshold, a share of LLM calls).
 *
 * @param parameter the knob's value (threshold or share)
 * @param accuracy accuracy in [0, 1]
 * @param costUsd total cost over the set, USD
 * @param largeCalls (expected) number of LLM calls
 */
public record CurvePoint(double parameter, double accuracy, double costUsd, double largeCalls) {
}
