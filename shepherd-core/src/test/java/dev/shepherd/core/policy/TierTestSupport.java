package dev.shepherd.core.policy;

import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.tier.Tiers;
import java.util.List;

/** A three-tier ladder for the tier policies' tests. */
final class TierTestSupport {

    static final TokenPrices LOCAL = TokenPrices.free();
    static final TokenPrices MID = TokenPrices.perMillion(0.10, 0.20);
    static final TokenPrices TOP = TokenPrices.perMillion(2.50, 10.00);

    private TierTestSupport() {
    }

    static Tiers ladder(Generator local, Generator mid, Generator top) {
        return Tiers.builder().tier("local", local, LOCAL).tier("mid", mid, MID).tier("top", top, TOP).build();
    }

    static Shepherd shepherd(ShepherdingPolicy policy, Tiers tiers, FailureMode mode, CostLedger ledger) {
        return Shepherd.builder().tiers(tiers).policy(policy).extractor(AnswerExtractor.math())
                .failureMode(mode).ledger(ledger).build();
    }

    static List<String> tiersCalled(ShepherdResult r) {
        return r.calls().stream().map(CallRecord::tier).toList();
    }
}
