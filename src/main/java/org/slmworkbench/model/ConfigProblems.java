package org.slmworkbench.model;

import java.util.List;

/** The checks every architecture's config shares, phrased with the config's own key names. */
public final class ConfigProblems {
    private ConfigProblems() {}

    public static void positive(List<String> problems, String key, int value) {
        if (value <= 0) {
            problems.add(key + " must be positive (got " + value + ")");
        }
    }
}
