package dev.shepherd.core.run;

import dev.shepherd.core.FailureKind;
import dev.shepherd.core.ModelCallException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * When {@link Shepherd} tries a failed model call again, and after how long: exponential backoff
 * with jitter, only for the {@linkplain FailureKind kinds} of failure that another attempt can cure,
 * honouring the backend's {@code Retry-After}, and never past the request's deadline
 * ({@link Shepherd.Builder#requestTimeout}). It applies to every model call the executor makes: small
 * and large answers, samples, hints, help and the small-to-large fallback.
 *
 * <p>After attempt {@code n} (1-based) fails with a retriable failure, the wait before the next one is
 * {@code d = min(maxDelay, baseDelay × 2^(n−1))}, drawn uniformly from {@code [d × (1 − jitter), d]}. A
 * {@code Retry-After} longer than that is waited instead; one longer than {@code maxDelay} ends the
 * retries (waiting less is pointless, waiting longer is not this policy's to decide). No retry is made
 * when the wait would reach the deadline; the executor passes as the time remaining what is left once the
 * failed attempt's own duration is set aside, so a retry starts only if, taking as long as the failed
 * attempt, it would still end in time. Each attempt is its own call in the ledger entry and, for the
 * large model, its own reservation against the spend cap.
 *
 * <pre>{@code
 * Shepherd.builder()...
 *         .retryPolicy(RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ofMillis(200)).build())
 *         .requestTimeout(Duration.ofSeconds(20))
 * }</pre>
 *
 * <p>Immutable and thread-safe (the random source must be, if one is set); the builder is not.
 */
public final class RetryPolicy {

    private static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final double jitter;
    private final Set<FailureKind> retryOn;
    private final RandomGenerator random;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.jitter = b.jitter;
        this.retryOn = Set.copyOf(b.retryOn);
        this.random = b.random;
    }

    /** One attempt per call: no retry. The executor's default. */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * Three attempts, 200 ms base delay, 5 s maximum delay, jitter 0.5, on rate limits, server errors,
     * network failures and timeouts ({@link Builder}'s defaults).
     */
    public static RetryPolicy ofDefaults() {
        return builder().build();
    }

    /** A builder with {@link #ofDefaults()}'s settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's settings. */
    public Builder toBuilder() {
        Builder b = new Builder().maxAttempts(maxAttempts).baseDelay(baseDelay).maxDelay(maxDelay).jitter(jitter);
        b.retryOn = retryOn.isEmpty() ? EnumSet.noneOf(FailureKind.class) : EnumSet.copyOf(retryOn);
        b.random = random;
        return b;
    }

    /** Attempts per call, the first included; 1 means no retry. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The wait after the first failed attempt, before jitter. */
    public Duration baseDelay() {
        return baseDelay;
    }

    /** The longest wait; a {@code Retry-After} above it ends the retries. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The share of each wait drawn at random, in [0, 1]: 0 waits exactly, 1 anywhere from 0 to the backoff. */
    public double jitter() {
        return jitter;
    }

    /** The kinds of failure that are retried. */
    public Set<FailureKind> retryOn() {
        return retryOn;
    }

    /**
     * Whether a failure of this kind is worth another attempt under this policy (attempts and time aside). Never
     * one whose output already reached the caller ({@link ModelCallException#outputSent()}): a new attempt would
     * send that text again.
     */
    public boolean retries(ModelCallException failure) {
        return maxAttempts > 1 && !failure.outputSent() && retryOn.contains(failure.kind());
    }

    /**
     * The wait before the next attempt, or empty to give up.
     *
     * @param failedAttempts how many attempts of this call have failed so far, at least 1
     * @param failure        the last attempt's failure
     * @param remaining      time left for the wait before the request's deadline (the executor sets aside how
     *                       long the failed attempt took), or {@code null} for no deadline
     */
    public Optional<Duration> delayBeforeRetry(int failedAttempts, ModelCallException failure, Duration remaining) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be >= 1 but was " + failedAttempts);
        }
        Objects.requireNonNull(failure, "failure");
        if (failedAttempts >= maxAttempts || !retries(failure)) {
            return Optional.empty();
        }
        Duration wait = backoff(failedAttempts);
        Optional<Duration> retryAfter = failure.retryAfter();
        if (retryAfter.isPresent()) {
            if (retryAfter.get().compareTo(maxDelay) > 0) {
                return Optional.empty();
            }
            if (retryAfter.get().compareTo(wait) > 0) {
                wait = retryAfter.get();
            }
        }
        if (remaining != null && wait.compareTo(remaining) >= 0) {
            return Optional.empty();
        }
        return Optional.of(wait);
    }

    /** The jittered exponential backoff after {@code failedAttempts} failures, at most {@link #maxDelay()}. */
    Duration backoff(int failedAttempts) {
        long base = baseDelay.toNanos();
        long max = maxDelay.toNanos();
        int shift = Math.min(failedAttempts - 1, 62);
        long d = base > (max >> shift) ? max : Math.min(max, base << shift);
        if (jitter == 0 || d == 0) {
            return Duration.ofNanos(d);
        }
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        double u = r.nextDouble();
        return Duration.ofNanos(d - (long) (d * jitter * u));
    }

    @Override
    public String toString() {
        return maxAttempts == 1 ? "RetryPolicy[none]" : "RetryPolicy[maxAttempts=" + maxAttempts + ", baseDelay="
                + baseDelay + ", maxDelay=" + maxDelay + ", jitter=" + jitter + ", retryOn=" + retryOn + "]";
    }

    /**
     * Fail-fast builder: each setter rejects a bad value at once, naming the field. Not thread-safe;
     * the built policy is.
     */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration baseDelay = Duration.ofMillis(200);
        private Duration maxDelay = Duration.ofSeconds(5);
        private double jitter = 0.5;
        private Set<FailureKind> retryOn = EnumSet.of(FailureKind.RATE_LIMITED, FailureKind.SERVER_ERROR,
                FailureKind.NETWORK, FailureKind.TIMEOUT);
        private RandomGenerator random;

        private Builder() {
        }

        /** Attempts per call, the first included, at least 1; 3 by default. */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** The wait after the first failure, doubled after each further one, before jitter; 200 ms by default. */
        public Builder baseDelay(Duration delay) {
            this.baseDelay = notNegative("baseDelay", delay);
            return this;
        }

        /** The longest wait, also the longest {@code Retry-After} honoured; 5 s by default. */
        public Builder maxDelay(Duration delay) {
            this.maxDelay = notNegative("maxDelay", delay);
            return this;
        }

        /** The share of each wait drawn at random, in [0, 1]; 0.5 by default. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be in [0, 1] but was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * The kinds of failure to retry; {@link FailureKind#RATE_LIMITED}, {@link FailureKind#SERVER_ERROR},
         * {@link FailureKind#NETWORK} and {@link FailureKind#TIMEOUT} by default.
         * {@link FailureKind#REQUEST_ERROR} is never retried: the same request fails the same way.
         * {@link FailureKind#MALFORMED_RESPONSE} is not by default: an unreadable 200 was usually
         * processed and billed, and is often a lasting incompatibility rather than a glitch.
         */
        public Builder retryOn(Set<FailureKind> kinds) {
            Objects.requireNonNull(kinds, "retryOn");
            if (kinds.contains(null)) {
                throw new IllegalArgumentException("retryOn must not contain null but was " + kinds);
            }
            if (kinds.contains(FailureKind.REQUEST_ERROR)) {
                throw new IllegalArgumentException("retryOn must not contain REQUEST_ERROR (a request refused as "
                        + "wrong fails again) but was " + kinds);
            }
            this.retryOn = kinds.isEmpty() ? EnumSet.noneOf(FailureKind.class) : EnumSet.copyOf(kinds);
            return this;
        }

        /** As {@link #retryOn(Set)}. */
        public Builder retryOn(FailureKind first, FailureKind... more) {
            Set<FailureKind> kinds = EnumSet.of(Objects.requireNonNull(first, "retryOn"));
            for (FailureKind k : more) {
                kinds.add(Objects.requireNonNull(k, "retryOn"));
            }
            return retryOn(kinds);
        }

        /**
         * Where jitter is drawn from, e.g. a seeded {@code new java.util.Random(42)} in tests; it must be
         * thread-safe when the policy is shared. {@link ThreadLocalRandom} by default.
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** @throws IllegalArgumentException when baseDelay exceeds maxDelay */
        public RetryPolicy build() {
            if (baseDelay.compareTo(maxDelay) > 0) {
                throw new IllegalArgumentException("baseDelay must be <= maxDelay but was " + baseDelay
                        + " > " + maxDelay);
            }
            return new RetryPolicy(this);
        }

        private static Duration notNegative(String field, Duration d) {
            Objects.requireNonNull(d, field);
            if (d.isNegative()) {
                throw new IllegalArgumentException(field + " must be >= 0 but was " + d);
            }
            return d;
        }
    }
}
