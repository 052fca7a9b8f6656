package dev.shepherd.cli.live;

import dev.shepherd.cli.InputException;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.model.PromptMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code --max-cost USD} guard of a run: before every model call (small or large) its worst case is reserved
 * (a bound on the prompt's tokens, one per UTF-8 byte plus chat-template overhead per message, plus the call's output
 * cap, at the configured prices), and a call whose worst case would take the run past the limit is not made: it
 * throws {@link SpendLimitExceededException}. After the call the reservation is settled with its actual cost. Uses
 * core's {@link SpendCap} (one window as long as the run), so concurrent calls cannot overshoot together.
 *
 * <p>Thread-safe.
 */
public final class Budget {

    /** Chat-template overhead per message, tokens (as core's worst-case bound). */
    static final int MESSAGE_OVERHEAD_TOKENS = 16;

    private final double limitUsd;
    private final CostModel prices;
    private final SpendCap cap;

    private Budget(double limitUsd, CostModel prices) {
        this.limitUsd = limitUsd;
        this.prices = Objects.requireNonNull(prices, "prices");
        this.cap = SpendCap.of(limitUsd, Duration.ofDays(365L * 100));
    }

    /**
     * A budget of {@code limitUsd} dollars for one run.
     *
     * @param limitUsd the limit, finite and ≥ 0
     * @param prices the prices calls are charged at
     * @return the budget
     */
    public static Budget of(double limitUsd, CostModel prices) {
        return new Budget(limitUsd, prices);
    }

    /**
     * The budget of a {@code --max-cost} option.
     *
     * @param maxCost the option's value, or {@code null} when absent
     * @param prices the prices
     * @return the budget, or {@code null} without the option
     * @throws dev.shepherd.cli.InputException naming the option when the value is negative or not finite
     */
    public static Budget option(Double maxCost, CostModel prices) {
        if (maxCost == null) {
            return null;
        }
        if (!(maxCost >= 0) || Double.isInfinite(maxCost)) {
            throw new InputException("--max-cost", 0, null, "must be a finite number >= 0 (USD) but "
                    + "was " + maxCost);
        }
        return of(maxCost, prices);
    }

    /**
     * The first line of a live run: its worst-case cost, and the guard.
     *
     * @param worstCaseUsd the run's worst case
     * @param count how many units (queries) it covers
     * @param what the units
     * @param budget the budget, or {@code null}
     * @return the line
     */
    public static String statement(double worstCaseUsd, int count, String what, Budget budget) {
        return String.format(Locale.ROOT, "worst-case cost of this run: $%.4f for %d %s (every prompt at its "
                + "token bound, every answer at its output cap); %s", worstCaseUsd, count, what, budget == null
                ? "no --max-cost limit" : String.format(Locale.ROOT, "--max-cost $%.4f: stops before a call could "
                + "pass it", budget.limitUsd()));
    }

    /** The limit in dollars. */
    public double limitUsd() {
        return limitUsd;
    }

    /** Dollars spent or reserved so far. */
    public double spentUsd() {
        return cap.spentInWindow();
    }

    /**
     * Reserves the worst case of one call.
     *
     * @param role the model called
     * @param model its display name, for the message
     * @param request the request, with its output cap set
     * @param worst its worst-case cost ({@link #worstCaseUsd(ModelRole, GenerationRequest)})
     * @return the reservation, to settle with the actual cost
     * @throws SpendLimitExceededException when the call could take the run past the limit; no call is made
     */
    SpendCap.Reservation reserve(ModelRole role, String model, GenerationRequest request, double worst) {
        try {
            return cap.reserve(worst);
        } catch (SpendLimitExceededException e) {
            throw new SpendLimitExceededException(String.format(Locale.ROOT, "--max-cost $%.6f reached: $%.6f spent "
                    + "or reserved, and the next call (%s model %s, up to %d output tokens) may cost up to $%.6f; "
                    + "stopped before making it", limitUsd, cap.spentInWindow(), role.label(), model,
                    request.maxOutputTokens(), worst));
        }
    }

    /** The cost of a call with {@code inputTokens} prompt and {@code outputTokens} output tokens. */
    double cost(ModelRole role, long inputTokens, long outputTokens) {
        return prices.cost(role, inputTokens, outputTokens);
    }

    /** The worst-case cost of a request at this budget's prices. */
    double worstCaseUsd(ModelRole role, GenerationRequest request) {
        return worstCaseUsd(prices, role, request);
    }

    /** The worst-case cost of a request: its prompt-token bound and its output cap at the role's prices. */
    public static double worstCaseUsd(CostModel prices, ModelRole role, GenerationRequest request) {
        long in = inputTokenBound(request.messages());
        if (request.assistantPrefix() != null) {
            in += request.assistantPrefix().getBytes(StandardCharsets.UTF_8).length + MESSAGE_OVERHEAD_TOKENS;
        }
        int out = request.maxOutputTokens() == null ? 0 : request.maxOutputTokens();
        return prices.prices(role).cost(in, out);
    }

    /** An upper bound on prompt tokens: byte-level BPE never emits more tokens than UTF-8 bytes. */
    public static long inputTokenBound(List<PromptMessage> messages) {
        long bytes = 0;
        for (PromptMessage m : messages) {
            bytes += m.text().getBytes(StandardCharsets.UTF_8).length + MESSAGE_OVERHEAD_TOKENS;
        }
        return bytes;
    }
}
