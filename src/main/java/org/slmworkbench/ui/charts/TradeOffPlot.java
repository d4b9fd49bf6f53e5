package org.slmworkbench.ui.charts;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One panel of the trade-off chart: perplexity against one cost (x), with every configuration,
 * their Pareto front as a line, and the current configuration as a bigger labelled dot on top.
 * The perplexity axis belongs to the chart that combines the panels.
 */
final class TradeOffPlot {
    private static final int CONFIGURATIONS = 0;
    private static final int FRONT = 1;
    private static final int CURRENT = 2;

    private final ToDoubleFunction<TradeOffPoint> cost;
    private final String unit;
    private final List<XYSeries> series = List.of(
            SeriesBounds.unbounded("configurations"), SeriesBounds.unbounded("Pareto front"), SeriesBounds.unbounded("current"));
    /** The points behind each series, item by item, so tooltips and labels can name them. */
    private final List<List<TradeOffPoint>> shown = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    private final XYPlot plot;

    /** {@code inLegend}: whether this panel's series appear in the chart legend (once is enough). */
    TradeOffPlot(String axisLabel, String unit, ToDoubleFunction<TradeOffPoint> cost, boolean inLegend) {
        this.cost = cost;
        this.unit = unit;
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach(data::addSeries);
        // Translucent dots, so configurations that land close together stay visible.
        Color dots = new Color(ChartStyle.SLATE.getRed(), ChartStyle.SLATE.getGreen(), ChartStyle.SLATE.getBlue(), 0xB0);
        XYLineAndShapeRenderer renderer = ChartStyle.lines(dots, ChartStyle.GREEN, ChartStyle.ORANGE);
        renderer.setSeriesLinesVisible(CONFIGURATIONS, false);
        renderer.setSeriesShapesVisible(CONFIGURATIONS, true);
        renderer.setSeriesShape(CONFIGURATIONS, ChartStyle.dot(8));
        renderer.setSeriesLinesVisible(CURRENT, false);
        renderer.setSeriesShapesVisible(CURRENT, true);
        renderer.setSeriesShape(CURRENT, ChartStyle.dot(14));
        renderer.setSeriesItemLabelsVisible(CURRENT, true);
        renderer.setSeriesItemLabelGenerator(CURRENT, (dataset, s, item) -> point(s, item).label());
        renderer.setDefaultToolTipGenerator((dataset, s, item) -> tooltip(point(s, item)));
        renderer.setDefaultSeriesVisibleInLegend(inLegend);
        plot = ChartStyle.style(new XYPlot(data, ChartStyle.axis(axisLabel), null, renderer));
        // Later series on top: the front over the dots, the current point over both.
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    }

    XYPlot plot() {
        return plot;
    }

    /** Shows {@code all} configurations that have both figures, their front, and {@code current} (may be null). */
    void show(List<TradeOffPoint> all, TradeOffPoint current) {
        List<TradeOffPoint> placeable = all.stream().filter(this::placeable).toList();
        fill(CONFIGURATIONS, placeable);
        fill(FRONT, ParetoFront.of(placeable, cost, TradeOffPoint::perplexity));
        fill(CURRENT, current != null && placeable(current) ? List.of(current) : List.of());
    }

    private boolean placeable(TradeOffPoint p) {
        return Double.isFinite(cost.applyAsDouble(p)) && Double.isFinite(p.perplexity());
    }

    private void fill(int index, List<TradeOffPoint> points) {
        XYSeries s = series.get(index);
        // One change event per series rather than one per point.
        s.setNotify(false);
        s.clear();
        points.forEach(p -> s.add(cost.applyAsDouble(p), p.perplexity(), false));
        s.setNotify(true);
        shown.get(index).clear();
        shown.get(index).addAll(points);
    }

    private TradeOffPoint point(int seriesIndex, int item) {
        return shown.get(seriesIndex).get(item);
    }

    private String tooltip(TradeOffPoint p) {
        return String.format(Locale.ROOT, "%s: perplexity %.3f, %.2f %s", p.label(), p.perplexity(), cost.applyAsDouble(p), unit);
    }
}
