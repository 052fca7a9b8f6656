package dev.shepherd.cli.live;

import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.ShepherdException;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Objects;

/**
 * A live model as the command line calls it: every request gets the model's output cap when it sets none (so
 * {@code --gguf-max-tokens} and the default cap bound every call, and a call's worst-case cost is known), the
 * optional {@link Budget} is checked before each call and settled after it, and failures are
 * {@link ModelCallException}s that name the model and its endpoint, without Java class names.
 *
 * <p>Thread-safe when the wrapped generator is.
 */
final class GuardedGenerator implements Generator {

    private final Generator delegate;
    private final ModelRole role;
    private final String endpoint;
    private final int maxOutputTokens;
    private final Budget budget;

    GuardedGenerator(Generator delegate, ModelRole role, String endpoint, int maxOutputTokens, Budget budget) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.role = Objects.requireNonNull(role, "role");
        this.endpoint = endpoint;
        this.maxOutputTokens = maxOutputTokens;
        this.budget = budget;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Completion generate(GenerationRequest request) {
        GenerationRequest capped = request.maxOutputTokens() == null
                ? request.toBuilder().maxOutputTokens(maxOutputTokens).build() : request;
        double worst = budget == null ? 0 : budget.worstCaseUsd(role, capped);
        SpendCap.Reservation reservation = budget == null ? null : budget.reserve(role, name(), capped, worst);
        double cost = worst; // a failed call keeps its worst case unless the backend refused it unprocessed
        try {
            Completion c = delegate.generate(capped);
            if (budget != null && c != null) {
                cost = budget.cost(role, c.inputTokens(), c.outputTokens());
            }
            return c;
        } catch (ModelCallException e) {
            cost = e.rejected() ? 0 : worst;
            throw new ModelCallException(role, name(), where(detail(e)), e, e.rejected(), e.kind(),
                    e.retryAfter().orElse(null), e.outputSent());
        } catch (ShepherdException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelCallException(role, name(), where(detail(e)), e, false);
        } finally {
            if (reservation != null) {
                reservation.settle(cost);
            }
        }
    }

    private String where(String detail) {
        return endpoint == null ? detail : detail + " (endpoint " + endpoint + ")";
    }

    /** What went wrong, in words: the root cause's message, never a class name. */
    static String detail(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException || root instanceof HttpConnectTimeoutException) {
            return "connection refused or unreachable" + (blank(root.getMessage()) ? "" : " (" + clean(root.getMessage()) + ")");
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + clean(String.valueOf(root.getMessage()));
        }
        String m = e.getMessage();
        if (e instanceof ModelCallException) {
            // "large model 'x' failed: connection failed (RuntimeException): java.net.ConnectException"
            int i = m.indexOf("' failed: ");
            m = i < 0 ? m : m.substring(i + "' failed: ".length());
        }
        String rootMessage = root == e || blank(root.getMessage()) ? "" : clean(root.getMessage());
        m = clean(m);
        if (!rootMessage.isEmpty() && !m.contains(rootMessage)) {
            m = m + ": " + rootMessage;
        }
        return m.isEmpty() ? "call failed" : m;
    }

    /** Drops Java class names: {@code (RuntimeException)}, {@code java.net.ConnectException: }. */
    static String clean(String m) {
        if (m == null) {
            return "";
        }
        return m.replaceAll("\\s*\\((?:[a-z0-9_]+\\.)*[A-Z][A-Za-z0-9_]*(?:Exception|Error)\\)", "")
                .replaceAll("(?:[a-z0-9_]+\\.)+[A-Z][A-Za-z0-9_]*(?:Exception|Error)(?::\\s*)?", "")
                .replaceAll("\\s*\\R\\s*", " ").replaceAll(":\\s*$", "").strip();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
