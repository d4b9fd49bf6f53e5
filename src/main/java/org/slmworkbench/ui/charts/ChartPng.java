package org.slmworkbench.ui.charts;

import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.slmworkbench.io.AtomicFiles;

/** Saves a chart as a PNG image. */
public final class ChartPng {
    private ChartPng() {}

    /**
     * Writes {@code chart} drawn at {@code width} × {@code height} pixels to {@code file}, atomically
     * (a temporary sibling renamed over the target), so a crash never leaves a truncated image.
     */
    public static void save(JFreeChart chart, Path file, int width, int height) throws IOException {
        AtomicFiles.writeBytes(file, ChartUtils.encodeAsPNG(chart.createBufferedImage(width, height)));
    }
}
