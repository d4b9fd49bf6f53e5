package org.slmworkbench.ui.charts;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.animation.PauseTransition;
import javafx.scene.control.Alert;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;

/**
 * What every workbench chart shares: a JFreeChart shown in a {@link ChartViewer} (drag to zoom), a
 * context menu with "Save as PNG…" and "Reset zoom", and redraws coalesced so a burst of data
 * points draws the chart once.
 * All methods run on the FX thread.
 */
public abstract class ChartPane extends StackPane {
    private final ChartViewer viewer = new ChartViewer();
    private final String fileName;
    private JFreeChart chart;
    /** Redraw at most this often while data streams in. */
    static final Duration REDRAW_EVERY = Duration.millis(100);
    private final PauseTransition redraw = new PauseTransition(REDRAW_EVERY);

    /** {@code fileName} is the suggested name, without extension, when saving. */
    protected ChartPane(String fileName) {
        this.fileName = fileName;
        MenuItem save = new MenuItem("Save as PNG…");
        save.setOnAction(e -> saveAsPng());
        MenuItem resetZoom = new MenuItem("Reset zoom");
        resetZoom.setOnAction(e -> resetZoom());
        // Replaces the viewer's own "Export As" menu, whose PNG export is not atomic.
        viewer.getContextMenu().getItems().setAll(save, resetZoom);
        getChildren().add(viewer);
        redraw.setOnFinished(e -> chart.setNotify(true));
    }

    /** The chart shown, for saving or inspecting its datasets. */
    public JFreeChart chart() {
        return chart;
    }

    /** Called once by the subclass constructor when its chart is built. */
    protected final void setChart(JFreeChart chart) {
        this.chart = chart;
        viewer.setChart(chart);
    }

    /**
     * Call before changing the data: holds the chart's redraws for {@link #REDRAW_EVERY}, so a
     * stream of points (hundreds of tokens a second) costs at most ten redraws a second.
     */
    protected final void deferRedraw() {
        if (chart.isNotify()) {
            chart.setNotify(false);
            redraw.playFromStart();
        }
    }

    /** Back to fitting the data: dragging a zoom box turns auto-range off, which would freeze a live chart. */
    private void resetZoom() {
        XYPlot plot = chart.getXYPlot();
        List<XYPlot> plots = new ArrayList<>(List.of(plot));
        if (plot instanceof CombinedDomainXYPlot combined) {
            plots.addAll(combined.getSubplots());
        } else if (plot instanceof CombinedRangeXYPlot combined) {
            plots.addAll(combined.getSubplots());
        }
        for (XYPlot p : plots) {
            if (p.getDomainAxis() != null) {
                p.getDomainAxis().setAutoRange(true);
            }
            if (p.getRangeAxis() != null) {
                p.getRangeAxis().setAutoRange(true);
            }
        }
    }

    private void saveAsPng() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save chart as PNG");
        chooser.setInitialFileName(fileName + ".png");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        File chosen = chooser.showSaveDialog(getScene().getWindow());
        if (chosen == null) {
            return;
        }
        Path file = chosen.getName().toLowerCase(Locale.ROOT).endsWith(".png")
                ? chosen.toPath() : chosen.toPath().resolveSibling(chosen.getName() + ".png");
        try {
            // The size on screen, so the image looks like what the user right-clicked.
            ChartPng.save(chart, file, (int) Math.ceil(getWidth()), (int) Math.ceil(getHeight()));
        } catch (IOException e) {
            Alert alert = new Alert(Alert.AlertType.ERROR, "Could not save " + file + ":\n" + e.getMessage());
            alert.initOwner(getScene().getWindow());
            alert.show();
        }
    }
}
