package dev.shepherd.core.answer;

import dev.shepherd.core.ShepherdException;

/** Thrown when a response states no final answer. Carries a prefix of the response for the log. */
public class AnswerNotFoundException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    /** An exception quoting the start of the response. */
    public AnswerNotFoundException(String response) {
        super("no final answer found in response: " + preview(response));
    }

    private static String preview(String s) {
        if (s == null) {
            return "null";
        }
        String flat = s.replaceAll("\\s+", " ").strip();
        return "'" + (flat.length() > 80 ? flat.substring(0, 77) + "..." : flat) + "'";
    }
}
