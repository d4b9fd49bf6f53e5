package org.slmworkbench.ui.charts;

import java.util.Locale;

/** Which model a measurement comes from: the unchanged base model or its compressed copy. */
public enum Side {
    BASE,
    COMPRESSED;

    /** The name shown in legends and titles, e.g. "base". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
