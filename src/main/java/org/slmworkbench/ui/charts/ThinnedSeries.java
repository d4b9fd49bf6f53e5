package org.slmworkbench.ui.charts;

import java.util.ArrayList;
import java.util.List;
import org.jfree.data.xy.XYDataItem;
import org.jfree.data.xy.XYSeries;

/**
 * Keeps a whole run in at most {@value SeriesBounds#MAX_POINTS} evenly spaced points: every
 * stride-th point plus the newest one. When full, every second point goes and the stride doubles,
 * so the start of a loss curve stays visible at the same resolution as its end.
 */
final class ThinnedSeries {
    private final XYSeries series;
    private long arrived;
    private long stride = 1;
    /** Whether the last item is the newest point shown off-stride, to be replaced by the next one. */
    private boolean tailOffStride;

    ThinnedSeries(String key) {
        series = SeriesBounds.unbounded(key);
    }

    XYSeries series() {
        return series;
    }

    void clear() {
        series.clear();
        arrived = 0;
        stride = 1;
        tailOffStride = false;
    }

    /** Appends the newest point, replacing the previous newest if that one was off-stride. */
    void add(double x, double y) {
        // One change event for the whole update instead of one per removal and addition.
        series.setNotify(false);
        if (tailOffStride) {
            series.remove(series.getItemCount() - 1);
        }
        if (series.getItemCount() >= SeriesBounds.MAX_POINTS) {
            halve();
        }
        tailOffStride = arrived % stride != 0;
        arrived++;
        series.add(x, y, false);
        series.setNotify(true);
    }

    /** Items sit at arrival indices 0, s, 2s, …; keeping the even positions leaves 0, 2s, 4s, …. */
    private void halve() {
        List<XYDataItem> kept = new ArrayList<>();
        for (int i = 0; i < series.getItemCount(); i += 2) {
            kept.add(series.getDataItem(i));
        }
        series.clear();
        kept.forEach(item -> series.add(item, false));
        stride *= 2;
    }
}
