package org.slmworkbench.ui.charts;

import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Reads what a chart's datasets hold, for assertions. */
final class ChartData {
    private ChartData() {}

    static XYSeries series(XYPlot plot, String key) {
        return ((XYSeriesCollection) plot.getDataset()).getSeries(key);
    }

    static List<Double> xs(XYSeries series) {
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < series.getItemCount(); i++) {
            xs.add(series.getX(i).doubleValue());
        }
        return xs;
    }

    static List<Double> ys(XYSeries series) {
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < series.getItemCount(); i++) {
            ys.add(series.getY(i).doubleValue());
        }
        return ys;
    }
}
