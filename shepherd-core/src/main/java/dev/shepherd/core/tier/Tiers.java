package dev.shepherd.core.tier;

import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An ordered ladder of 2..N models, cheapest first. The two-model API is the common case: the
 * bottom tier is the small model, the top tier the large one, and every tier in between is called
 * through the same executor (priced at its own rates, checked against the spend cap like the large
 * model, and falling back to the small model when it fails).
 *
 * <pre>{@code
 * Tiers tiers = Tiers.builder()
 *         .tier("local", llama3b, TokenPrices.free())
 *         .tier("mid", hosted8b, TokenPrices.perMillion(0.05, 0.08))
 *         .tier("frontier", gpt4o, TokenPrices.perMillion(2.50, 10.00))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not.
 */
public final class Tiers {

    private final List<Tier> tiers;

    private Tiers(List<Tier> tiers) {
        this.tiers = List.copyOf(tiers);
    }

    /** A fail-fast builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The ladder of the given tiers, cheapest first. */
    public static Tiers of(Tier... tiers) {
        Builder b = builder();
        for (Tier t : tiers) {
            b.tier(t);
        }
        return b.build();
    }

    /**
     * The two-model ladder of an executor without tiers: tiers {@code "small"} and {@code "large"},
     * priced by {@code costModel}.
     */
    public static Tiers ofPair(Generator small, Generator large, CostModel costModel) {
        return new Tiers(List.of(
                new Tier(ModelRole.SMALL.label(), small, costModel.prices(ModelRole.SMALL)),
                new Tier(ModelRole.LARGE.label(), large, costModel.prices(ModelRole.LARGE))));
    }

    /**
     * This ladder with its ends' models and prices replaced: what an executor runs when its small or
     * large model (or cost model) was set after the ladder. Names and middle tiers are kept.
     */
    public Tiers withEnds(Generator small, Generator large, CostModel costModel) {
        List<Tier> out = new ArrayList<>(tiers);
        out.set(0, new Tier(bottom().name(), small, costModel.prices(ModelRole.SMALL)));
        out.set(out.size() - 1, new Tier(top().name(), large, costModel.prices(ModelRole.LARGE)));
        return new Tiers(out);
    }

    /** This ladder with tier {@code index}'s model replaced (e.g. by a per-request wrapper); names and prices kept. */
    public Tiers withModel(int index, Generator model) {
        List<Tier> out = new ArrayList<>(tiers);
        Tier t = out.get(index);
        out.set(index, new Tier(t.name(), model, t.prices()));
        return new Tiers(out);
    }

    /** How many tiers (≥ 2). */
    public int size() {
        return tiers.size();
    }

    /** The tier at {@code index}, 0 being the cheapest. */
    public Tier get(int index) {
        return tiers.get(index);
    }

    /** Every tier, cheapest first. */
    public List<Tier> all() {
        return tiers;
    }

    /** The cheapest tier: the small model. */
    public Tier bottom() {
        return tiers.get(0);
    }

    /** The most expensive tier: the large model. */
    public Tier top() {
        return tiers.get(tiers.size() - 1);
    }

    /** The index of the tier named {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < tiers.size(); i++) {
            if (tiers.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The role a tier's calls have: the bottom is {@link ModelRole#SMALL}, every tier above it {@link ModelRole#LARGE}. */
    public static ModelRole roleOf(int index) {
        return index == 0 ? ModelRole.SMALL : ModelRole.LARGE;
    }

    /** The two-sided cost model of the ends (the small and the large model). */
    public CostModel endsCostModel() {
        return CostModel.perToken(bottom().prices(), top().prices());
    }

    @Override
    public String toString() {
        return "Tiers" + tiers;
    }

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private final List<Tier> tiers = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        private Builder() {
        }

        /** Appends a tier above the ones added so far (tiers go cheapest first). */
        public Builder tier(String name, Generator model, TokenPrices prices) {
            return tier(new Tier(name, model, prices));
        }

        /**
         * Appends a tier above the ones added so far.
         *
         * @throws IllegalArgumentException when a tier of that name was already added
         */
        public Builder tier(Tier tier) {
            Objects.requireNonNull(tier, "tier");
            if (!names.add(tier.name())) {
                throw new IllegalArgumentException("tier names must be unique but '" + tier.name()
                        + "' was given twice");
            }
            tiers.add(tier);
            return this;
        }

        /**
         * @throws IllegalStateException when fewer than two tiers were added, or a tier other than the
         *         bottom is named "small" or one other than the top "large" (those names mean the ends
         *         in every ledger written without tiers)
         */
        public Tiers build() {
            if (tiers.size() < 2) {
                throw new IllegalStateException("tiers needs at least 2 tiers (cheapest first) but had "
                        + tiers.size());
            }
            for (int i = 0; i < tiers.size(); i++) {
                String n = tiers.get(i).name();
                if ((n.equals(ModelRole.SMALL.label()) && i != 0)
                        || (n.equals(ModelRole.LARGE.label()) && i != tiers.size() - 1)) {
                    throw new IllegalStateException("tier name '" + n + "' is reserved for the "
                            + (n.equals("small") ? "bottom" : "top") + " tier but was tier " + i);
                }
            }
            return new Tiers(tiers);
        }
    }
}
