package org.slmworkbench.ui.charts;

import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Training loss and held-out loss against the optimizer step. Each series keeps the whole run,
 * evenly thinned to at most {@value SeriesBounds#MAX_POINTS} points (see {@link ThinnedSeries}).
 */
public final class LossChart extends ChartPane {
    private final ThinnedSeries train = new ThinnedSeries("train");
    private final ThinnedSeries heldout = new ThinnedSeries("held-out");

    public LossChart() {
        super("loss");
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train.series());
        data.addSeries(heldout.series());
        NumberAxis steps = ChartStyle.axis("step");
        steps.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer lines = ChartStyle.lines(ChartStyle.SLATE, ChartStyle.ORANGE);
        // Held-out loss is measured rarely: mark each measurement.
        lines.setSeriesShapesVisible(1, true);
        lines.setSeriesShape(1, ChartStyle.dot(7));
        setChart(ChartStyle.chart("Training and held-out loss",
                ChartStyle.style(new XYPlot(data, steps, ChartStyle.axis("loss"), lines))));
    }

    /** Empties both series, for a new run. */
    public void clear() {
        deferRedraw();
        train.clear();
        heldout.clear();
    }

    public void addTrain(int step, double loss) {
        deferRedraw();
        train.add(step, loss);
    }

    public void addHeldout(int step, double loss) {
        deferRedraw();
        heldout.add(step, loss);
    }
}
