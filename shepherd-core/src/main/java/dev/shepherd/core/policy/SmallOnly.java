package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;

/** The small model answers every query alone: the cost floor and the accuracy floor. */
public final class SmallOnly implements ShepherdingPolicy {

    private static final SmallOnly INSTANCE = new SmallOnly();

    private SmallOnly() {
    }

    /** The shared instance. */
    public static SmallOnly create() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "slm-only";
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        return context.execute(query, Decision.smallOnly());
    }
}
