package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;

/** The large model answers every query: the reference for accuracy, cost reduction and ACE. */
public final class LargeOnly implements ShepherdingPolicy {

    private static final LargeOnly INSTANCE = new LargeOnly();

    private LargeOnly() {
    }

    /** The shared instance. */
    public static LargeOnly create() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "llm-only";
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        return context.execute(query, Decision.largeFull());
    }
}
