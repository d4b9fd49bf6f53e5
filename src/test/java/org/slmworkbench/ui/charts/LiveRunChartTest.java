package org.slmworkbench.ui.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slmworkbench.ui.charts.ChartData.series;
import static org.slmworkbench.ui.charts.ChartData.xs;
import static org.slmworkbench.ui.charts.ChartData.ys;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Scene;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class LiveRunChartTest {
    private LiveRunChart chart;

    @Start
    void start(Stage stage) {
        chart = new LiveRunChart();
        stage.setScene(new Scene(chart, 800, 500));
        stage.show();
    }

    private XYPlot latencyPlot() {
        return ((CombinedDomainXYPlot) chart.chart().getXYPlot()).getSubplots().get(0);
    }

    private XYPlot memoryPlot() {
        return ((CombinedDomainXYPlot) chart.chart().getXYPlot()).getSubplots().get(1);
    }

    private TextTitle speeds() {
        return (TextTitle) chart.chart().getSubtitles().stream().filter(TextTitle.class::isInstance).findFirst().orElseThrow();
    }

    @Test
    void tokensGoToTheirSideAndMemoryToOneSeries(FxRobot robot) {
        robot.interact(() -> {
            chart.addToken(Side.BASE, 0.1, 20);
            chart.addToken(Side.BASE, 0.2, 21);
            chart.addToken(Side.COMPRESSED, 0.05, 12);
            chart.addMemory(0.5, 340);
        });
        XYSeries base = series(latencyPlot(), "base");
        assertEquals(List.of(0.1, 0.2), xs(base));
        assertEquals(List.of(20.0, 21.0), ys(base));
        assertEquals(List.of(12.0), ys(series(latencyPlot(), "compressed")));
        assertEquals(List.of(340.0), ys(series(memoryPlot(), "process RSS")));
    }

    @Test
    void eachSeriesKeepsOnlyTheLatestPoints(FxRobot robot) {
        robot.interact(() -> {
            for (int i = 0; i < 2000; i++) {
                chart.addToken(Side.COMPRESSED, i, 10);
                chart.addMemory(i, 300);
            }
        });
        XYSeries compressed = series(latencyPlot(), "compressed");
        assertEquals(SeriesBounds.MAX_POINTS, compressed.getItemCount());
        assertEquals(2000 - SeriesBounds.MAX_POINTS, compressed.getX(0).doubleValue());
        assertEquals(1999, compressed.getX(compressed.getItemCount() - 1).doubleValue());
        assertEquals(SeriesBounds.MAX_POINTS, series(memoryPlot(), "process RSS").getItemCount());
    }

    @Test
    void aBurstOfPointsRedrawsOnce(FxRobot robot) throws Exception {
        AtomicInteger redraws = new AtomicInteger();
        robot.interact(() -> {
            chart.chart().addChangeListener(e -> redraws.incrementAndGet());
            for (int i = 0; i < 100; i++) {
                chart.addToken(Side.BASE, i, 10);
            }
            assertEquals(0, redraws.get());
        });
        // the held redraw comes once, after ChartPane.REDRAW_EVERY
        WaitForAsyncUtils.waitFor(2, java.util.concurrent.TimeUnit.SECONDS, () -> redraws.get() > 0);
        Thread.sleep(3 * (long) ChartPane.REDRAW_EVERY.toMillis());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, redraws.get());
    }

    @Test
    void speedsShowUnderTheTitleUntilCleared(FxRobot robot) {
        robot.interact(() -> {
            chart.setTokensPerSecond(Side.COMPRESSED, 655.2);
            chart.setTokensPerSecond(Side.BASE, 411.6);
        });
        assertTrue(speeds().isVisible());
        assertEquals("base 412 tok/s · compressed 655 tok/s", speeds().getText());

        robot.interact(() -> {
            chart.addToken(Side.BASE, 1, 10);
            chart.clear();
        });
        assertFalse(speeds().isVisible());
        assertEquals(0, series(latencyPlot(), "base").getItemCount());
    }

    @Test
    void contextMenuOffersSaveAsPngAndResetZoom(FxRobot robot) {
        ContextMenu menu = ((ChartViewer) chart.getChildren().get(0)).getContextMenu();
        assertEquals(List.of("Save as PNG…", "Reset zoom"), menu.getItems().stream().map(MenuItem::getText).toList());

        robot.interact(() -> {
            chart.chart().getXYPlot().getDomainAxis().setRange(1, 2);
            memoryPlot().getRangeAxis().setRange(100, 200);
            menu.getItems().get(1).fire();
        });
        assertTrue(chart.chart().getXYPlot().getDomainAxis().isAutoRange());
        assertTrue(memoryPlot().getRangeAxis().isAutoRange());
    }

    @Test
    void savesTheChartWithDataAsPng(FxRobot robot, @TempDir Path dir) throws IOException {
        robot.interact(() -> {
            chart.addToken(Side.BASE, 0.1, 20);
            chart.addToken(Side.COMPRESSED, 0.1, 12);
            chart.addMemory(0.1, 340);
            chart.setTokensPerSecond(Side.BASE, 50);
        });
        Path file = dir.resolve("run.png");
        ChartPng.save(chart.chart(), file, 900, 500);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(500, image.getHeight());
    }
}
