package org.slmworkbench.ui.charts;

import org.jfree.data.xy.XYSeries;

/** Caps how many points a live series holds, so drawing stays as fast in hour three as in minute one. */
final class SeriesBounds {
    static final int MAX_POINTS = 500;

    private SeriesBounds() {}

    /** A series in arrival order that drops its oldest point once it holds {@link #MAX_POINTS}: "what is happening now". */
    static XYSeries rolling(String key) {
        XYSeries series = unbounded(key);
        series.setMaximumItemCount(MAX_POINTS);
        return series;
    }

    /** A series in arrival order (no sorting cost), duplicate x allowed; bound it yourself (see {@link ThinnedSeries}). */
    static XYSeries unbounded(String key) {
        return new XYSeries(key, false, true);
    }
}
