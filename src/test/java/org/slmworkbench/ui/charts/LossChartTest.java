package org.slmworkbench.ui.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slmworkbench.ui.charts.ChartData.xs;
import static org.slmworkbench.ui.charts.ChartData.ys;

import java.util.List;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class LossChartTest {
    private LossChart chart;

    @Start
    void start(Stage stage) {
        chart = new LossChart();
        stage.setScene(new Scene(chart, 800, 500));
        stage.show();
    }

    private XYSeries series(String key) {
        return ChartData.series(chart.chart().getXYPlot(), key);
    }

    @Test
    void holdsTrainAndHeldoutLossByStep(FxRobot robot) {
        robot.interact(() -> {
            chart.addTrain(1, 5.0);
            chart.addTrain(2, 4.5);
            chart.addHeldout(2, 4.8);
        });
        assertEquals(List.of(1.0, 2.0), xs(series("train")));
        assertEquals(List.of(5.0, 4.5), ys(series("train")));
        assertEquals(List.of(4.8), ys(series("held-out")));

        robot.interact(chart::clear);
        assertEquals(0, series("train").getItemCount());
        assertEquals(0, series("held-out").getItemCount());
    }

    @Test
    void aLongRunIsThinnedEvenlyKeepingItsStartAndItsNewestStep(FxRobot robot) {
        robot.interact(() -> {
            for (int step = 0; step < 5001; step++) {
                chart.addTrain(step, 10.0 / (step + 1));
            }
        });
        List<Double> steps = xs(series("train"));
        assertTrue(steps.size() <= SeriesBounds.MAX_POINTS, "held " + steps.size());
        assertTrue(steps.size() > SeriesBounds.MAX_POINTS / 2, "held " + steps.size());
        assertEquals(0.0, steps.get(0));
        assertEquals(5000.0, steps.get(steps.size() - 1));
        double spacing = steps.get(1) - steps.get(0);
        for (int i = 1; i < steps.size() - 1; i++) {
            assertEquals(spacing, steps.get(i) - steps.get(i - 1), "even spacing before the newest point");
        }
        // The newest point replaces the previous newest when that one is off-stride.
        assertTrue(steps.get(steps.size() - 1) - steps.get(steps.size() - 2) <= spacing);
    }
}
