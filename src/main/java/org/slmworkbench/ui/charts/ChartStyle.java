package org.slmworkbench.ui.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;

/**
 * The workbench's one chart look: white background, light solid grid, 12 px text, flat 2 px lines.
 * Charts are built from these parts instead of ChartFactory, whose default theme adds a grey plot
 * area, gradients and shadows.
 */
final class ChartStyle {
    static final Color SLATE = new Color(0x5B7083);
    static final Color ORANGE = new Color(0xE8710A);
    static final Color GREEN = new Color(0x2E8B57);
    static final Color GREY = new Color(0x555555);
    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private static final Color TEXT = new Color(0x333333);
    private static final Color GRID = new Color(0xE6E6E6);
    private static final Color AXIS_LINE = new Color(0xBBBBBB);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final BasicStroke LINE = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);

    private ChartStyle() {}

    /** A chart with a title and a frameless legend at the bottom around {@code plot}. */
    static JFreeChart chart(String title, XYPlot plot) {
        JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setPaint(TEXT);
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(FONT);
        legend.setItemPaint(TEXT);
        legend.setBackgroundPaint(Color.WHITE);
        legend.setFrame(BlockBorder.NONE);
        return chart;
    }

    /** A line of plain text under the title, e.g. live figures. */
    static TextTitle subtitle() {
        TextTitle title = new TextTitle("", FONT);
        title.setPaint(TEXT);
        return title;
    }

    /** A numeric axis that fits the data rather than always including zero. */
    static NumberAxis axis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setLabelFont(FONT);
        axis.setTickLabelFont(FONT);
        axis.setLabelPaint(TEXT);
        axis.setTickLabelPaint(TEXT);
        axis.setAxisLinePaint(AXIS_LINE);
        axis.setTickMarkPaint(AXIS_LINE);
        axis.setAutoRangeIncludesZero(false);
        // one point (or equal values) would otherwise get a tiny range with labels like 2.519622E0
        axis.setAutoRangeMinimumSize(0.05);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
        return axis;
    }

    /** White plot area, light solid grid lines, no outline; returns {@code plot}. */
    static <P extends XYPlot> P style(P plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        return plot;
    }

    /** A renderer drawing series i as a 2 px line in {@code colours[i]}, without point markers. */
    static XYLineAndShapeRenderer lines(Color... colours) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < colours.length; i++) {
            renderer.setSeriesPaint(i, colours[i]);
            renderer.setSeriesStroke(i, LINE);
        }
        renderer.setDefaultItemLabelFont(FONT);
        renderer.setDefaultItemLabelPaint(TEXT);
        return renderer;
    }

    /** A round point marker {@code diameter} pixels wide, centred on the data point. */
    static Shape dot(double diameter) {
        return new Ellipse2D.Double(-diameter / 2, -diameter / 2, diameter, diameter);
    }
}
