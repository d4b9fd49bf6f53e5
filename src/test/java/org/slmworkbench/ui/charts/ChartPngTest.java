package org.slmworkbench.ui.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartPngTest {
    @TempDir
    Path dir;

    private static JFreeChart lineChart() {
        XYSeries series = new XYSeries("s");
        series.add(0, 1);
        series.add(1, 3);
        return ChartStyle.chart("test", ChartStyle.style(new XYPlot(new XYSeriesCollection(series),
                ChartStyle.axis("x"), ChartStyle.axis("y"), ChartStyle.lines(ChartStyle.SLATE))));
    }

    @Test
    void writesAPngOfTheAskedSizeReplacingAnOldFileAndLeavingNoTemporaryFile() throws IOException {
        Path file = dir.resolve("chart.png");
        Files.writeString(file, "an older file");

        ChartPng.save(lineChart(), file, 640, 360);

        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(640, image.getWidth());
        assertEquals(360, image.getHeight());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
