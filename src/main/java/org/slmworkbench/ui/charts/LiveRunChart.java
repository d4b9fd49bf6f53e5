package org.slmworkbench.ui.charts;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Per-token latency (top) and process memory (bottom) against seconds since the run started,
 * base and compressed model on the same axes, with their decode speeds under the title.
 * Each series keeps its latest {@value SeriesBounds#MAX_POINTS} points.
 */
public final class LiveRunChart extends ChartPane {
    private final Map<Side, XYSeries> latency = new EnumMap<>(Side.class);
    private final XYSeries memory = SeriesBounds.rolling("process RSS");
    private final Map<Side, Double> tokensPerSecond = new EnumMap<>(Side.class);
    private final TextTitle speeds = ChartStyle.subtitle();

    public LiveRunChart() {
        super("latency-memory");
        XYSeriesCollection latencyData = new XYSeriesCollection();
        for (Side side : Side.values()) {
            XYSeries series = SeriesBounds.rolling(side.label());
            latency.put(side, series);
            latencyData.addSeries(series);
        }
        // Series order follows Side: base slate, compressed orange.
        XYPlot latencyPlot = ChartStyle.style(new XYPlot(latencyData, null, ChartStyle.axis("ms / token"),
                ChartStyle.lines(ChartStyle.SLATE, ChartStyle.ORANGE)));
        XYPlot memoryPlot = ChartStyle.style(new XYPlot(new XYSeriesCollection(memory), null,
                ChartStyle.axis("process RSS (MB)"), ChartStyle.lines(ChartStyle.GREY)));
        CombinedDomainXYPlot plot = ChartStyle.style(new CombinedDomainXYPlot(ChartStyle.axis("seconds since the run started")));
        plot.setGap(12);
        plot.add(latencyPlot, 3);
        plot.add(memoryPlot, 2);
        JFreeChart chart = ChartStyle.chart("Per-token latency and memory", plot);
        speeds.setVisible(false);
        chart.addSubtitle(speeds);
        setChart(chart);
    }

    /** Empties every series and forgets the speeds, for a new run. */
    public void clear() {
        deferRedraw();
        latency.values().forEach(XYSeries::clear);
        memory.clear();
        tokensPerSecond.clear();
        showSpeeds();
    }

    /** One generated token of {@code side}: when it finished and how long it took. */
    public void addToken(Side side, double seconds, double msPerToken) {
        deferRedraw();
        latency.get(side).add(seconds, msPerToken);
    }

    /** A sample of the process's resident memory, which holds both models. */
    public void addMemory(double seconds, double rssMb) {
        deferRedraw();
        memory.add(seconds, rssMb);
    }

    /** The decode speed of {@code side} shown under the title; NaN or infinite hides it. */
    public void setTokensPerSecond(Side side, double tps) {
        deferRedraw();
        if (Double.isFinite(tps)) {
            tokensPerSecond.put(side, tps);
        } else {
            tokensPerSecond.remove(side);
        }
        showSpeeds();
    }

    private void showSpeeds() {
        List<String> parts = new ArrayList<>();
        tokensPerSecond.forEach((side, tps) -> parts.add(String.format(Locale.ROOT, "%s %.0f tok/s", side.label(), tps)));
        speeds.setText(String.join(" · ", parts));
        speeds.setVisible(!parts.isEmpty());
    }
}
