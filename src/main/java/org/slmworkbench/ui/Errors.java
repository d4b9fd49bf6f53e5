package org.slmworkbench.ui;

import org.slmworkbench.BadInputException;

/** One line for the status bar from a failure: the user's problem as it is, anything else with its type. */
final class Errors {
    private Errors() {}

    static String describe(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && !(cause instanceof BadInputException)) {
            cause = cause.getCause();
        }
        if (cause instanceof BadInputException || cause instanceof IllegalArgumentException) {
            return cause.getMessage();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
