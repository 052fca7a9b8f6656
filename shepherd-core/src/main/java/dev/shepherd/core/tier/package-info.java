/**
 * Ladders of models: {@link dev.shepherd.core.tier.Tier} (a name, a
 * {@link dev.shepherd.core.model.Generator} and its prices), {@link dev.shepherd.core.tier.Tiers}
 * (2..N tiers, cheapest first; the two-model API is the ladder of its ends) and
 * {@link dev.shepherd.core.tier.TierPredictor} (each tier's probability of answering well, for routing
 * among N). Between {@code hint} and {@code policy} in the package order.
 */
package dev.shepherd.core.tier;
