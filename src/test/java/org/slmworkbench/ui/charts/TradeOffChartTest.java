package org.slmworkbench.ui.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slmworkbench.ui.charts.ChartData.xs;
import static org.slmworkbench.ui.charts.ChartData.ys;

import java.util.List;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class TradeOffChartTest {
    private static final TradeOffPoint BASE = new TradeOffPoint("base", 10.0, 40.0, 500.0);
    private static final TradeOffPoint PRUNED = new TradeOffPoint("prune 30%", 11.0, 30.0, 350.0);
    private static final TradeOffPoint SLOW_AND_WORSE = new TradeOffPoint("share 2", 12.0, 45.0, 300.0);
    private static final TradeOffPoint TINY = new TradeOffPoint("prune 60%", 15.0, 20.0, 200.0);

    private TradeOffChart chart;

    @Start
    void start(Stage stage) {
        chart = new TradeOffChart();
        stage.setScene(new Scene(chart, 900, 450));
        stage.show();
    }

    private XYPlot latencyPlot() {
        return ((CombinedRangeXYPlot) chart.chart().getXYPlot()).getSubplots().get(0);
    }

    private XYPlot sizePlot() {
        return ((CombinedRangeXYPlot) chart.chart().getXYPlot()).getSubplots().get(1);
    }

    private static XYSeries series(XYPlot plot, String key) {
        return ChartData.series(plot, key);
    }

    @Test
    void drawsEveryPointAndTheParetoFrontOfEachPanel(FxRobot robot) {
        robot.interact(() -> chart.setPoints(List.of(BASE, PRUNED, SLOW_AND_WORSE, TINY), null));

        assertEquals(4, series(latencyPlot(), "configurations").getItemCount());
        // Latency: "share 2" is slower and worse than base.
        assertEquals(List.of(20.0, 30.0, 40.0), xs(series(latencyPlot(), "Pareto front")));
        assertEquals(List.of(15.0, 11.0, 10.0), ys(series(latencyPlot(), "Pareto front")));
        // Size: every point is on the front.
        assertEquals(List.of(200.0, 300.0, 350.0, 500.0), xs(series(sizePlot(), "Pareto front")));
        assertEquals(0, series(latencyPlot(), "current").getItemCount());
    }

    @Test
    void theCurrentPointIsHighlightedInItsOwnSeries(FxRobot robot) {
        robot.interact(() -> chart.setPoints(List.of(BASE, PRUNED, TINY), PRUNED));

        XYPlot plot = latencyPlot();
        XYSeries current = series(plot, "current");
        assertEquals(List.of(30.0), xs(current));
        assertEquals(List.of(11.0), ys(current));

        XYSeriesCollection data = (XYSeriesCollection) plot.getDataset();
        int currentIndex = data.getSeriesIndex("current");
        int dotsIndex = data.getSeriesIndex("configurations");
        XYItemRenderer renderer = plot.getRenderer();
        assertTrue(renderer.getSeriesShape(currentIndex).getBounds2D().getWidth()
                > renderer.getSeriesShape(dotsIndex).getBounds2D().getWidth(), "bigger");
        assertNotEquals(renderer.getSeriesPaint(dotsIndex), renderer.getSeriesPaint(currentIndex));
        assertEquals("prune 30%", renderer.getItemLabelGenerator(currentIndex, 0).generateLabel(data, currentIndex, 0));
    }

    @Test
    void aCurrentPointMissingFromTheListStillCountsAsTried(FxRobot robot) {
        TradeOffPoint best = new TradeOffPoint("distilled", 9.0, 10.0, 100.0);
        robot.interact(() -> chart.setPoints(List.of(BASE, PRUNED), best));

        assertEquals(3, series(latencyPlot(), "configurations").getItemCount());
        assertEquals(List.of(10.0), xs(series(latencyPlot(), "Pareto front")));
        assertEquals(1, series(sizePlot(), "current").getItemCount());
    }

    @Test
    void tooltipsNameTheConfiguration(FxRobot robot) {
        robot.interact(() -> chart.setPoints(List.of(BASE, TINY), null));

        XYPlot plot = sizePlot();
        XYSeriesCollection data = (XYSeriesCollection) plot.getDataset();
        int dots = data.getSeriesIndex("configurations");
        String tip = plot.getRenderer().getToolTipGenerator(dots, 1).generateToolTip(data, dots, 1);
        assertEquals("prune 60%: perplexity 15.000, 200.00 MB", tip);
    }

    @Test
    void aPointWithoutAFigureIsLeftOutOfThatPanelOnly(FxRobot robot) {
        TradeOffPoint unsized = new TradeOffPoint("not exported", 10.5, 25.0, Double.NaN);
        robot.interact(() -> chart.setPoints(List.of(BASE, unsized), null));

        assertEquals(2, series(latencyPlot(), "configurations").getItemCount());
        assertEquals(1, series(sizePlot(), "configurations").getItemCount());
    }
}
