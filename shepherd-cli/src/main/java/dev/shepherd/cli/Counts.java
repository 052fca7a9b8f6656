package dev.shepherd.cli;

/** Checks of the count options shared by the verbs. Stateless. */
final class Counts {

    private Counts() {
    }

    /**
     * Checks {@code --limit}: absent means no limit; given, it must be at least 1 (0 is not "no limit").
     *
     * @param limit the option's value, or {@code null} when absent
     * @throws InputException naming the option and the value when it is below 1
     */
    static void checkLimit(Integer limit) {
        if (limit != null && limit < 1) {
            throw new InputException("--limit", 0, null, "must be >= 1 but was " + limit
                    + " (leave --limit out to use every query)");
        }
    }
}
