package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;

/** The small model answers every query alone: the cost floor and the accuracy floor. */
public final class SlmOnly implements ShepherdingPolicy {

    private static final SlmOnly INSTANCE = new SlmOnly();

    private SlmOnly() {
    }

    /** The shared instance. */
    public static SlmOnly create() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "slm-only";
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        return context.execute(query, Decision.slmOnly());
    }
}
