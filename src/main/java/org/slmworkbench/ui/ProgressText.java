package org.slmworkbench.ui;

import java.util.Locale;

/** A long task's status line: its message, how far it is, and about how long is left at its pace so far. */
final class ProgressText {
    /** Below this fraction the pace says too little to estimate from. */
    private static final double MIN_FRACTION = 0.02;

    private ProgressText() {}

    /** @param fraction done in [0, 1], or negative when unknown */
    static String of(String message, double fraction, double elapsedSeconds) {
        if (fraction < 0 || fraction >= 1) {
            return message;
        }
        String done = String.format(Locale.ROOT, " — %.0f%%", 100 * fraction);
        if (fraction < MIN_FRACTION || elapsedSeconds <= 0) {
            return message + done;
        }
        return message + done + ", about " + duration(elapsedSeconds * (1 - fraction) / fraction) + " left";
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
