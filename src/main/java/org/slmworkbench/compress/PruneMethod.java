package org.slmworkbench.compress;

import java.util.Locale;

/** How weights are chosen for removal. */
public enum PruneMethod {
    /** Smallest |w| within each tensor. */
    MAGNITUDE,
    /** Smallest |w| across all prunable tensors at once. */
    GLOBAL_MAGNITUDE,
    /** Smallest |w| · ‖input feature‖ within each output row, from calibration text (Wanda). */
    WANDA,
    /** Whole key/value groups and MLP neurons, leaving a smaller dense model. */
    STRUCTURED;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static PruneMethod parse(String s) {
        for (PruneMethod m : values()) {
            if (m.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown pruning method '" + s + "'; use magnitude, global-magnitude, wanda or structured");
    }
}
