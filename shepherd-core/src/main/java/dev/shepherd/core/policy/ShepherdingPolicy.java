package dev.shepherd.core.policy;

import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;

/**
 * A strategy for answering one query with a small and a large model: decides between the small
 * model alone, a hint of n tokens, or the large model's full answer, and makes the calls through
 * the {@link PolicyContext}, which prices and records each one.
 *
 * <p>Built-ins: {@link SmallOnly}, {@link LargeOnly}, {@link PredictorRouting},
 * {@link AgreementCascade}, {@link ConfidenceCascade}, {@link ProactiveShepherding},
 * {@link ReactiveShepherding}, {@link OracleShepherding}, {@link OracleRouting} and
 * {@link SmallInitiatedHelp}. All are immutable and thread-safe; custom policies must be too.
 * Run a policy through {@link dev.shepherd.core.run.Shepherd}, which owns the models, the ledger and
 * the failure handling.
 */
public interface ShepherdingPolicy {

    /** A short, stable name for reports and the ledger, e.g. {@code "reactive-shepherding"}. */
    String name();

    /**
     * Answers one query.
     *
     * @throws ModelCallException when a model call fails; the executor decides
     *         whether to fall back to the small model
     */
    PolicyOutcome apply(Query query, PolicyContext context);
}
