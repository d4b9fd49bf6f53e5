package org.slmworkbench.ui.charts;

import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.plot.CombinedRangeXYPlot;

/**
 * Every configuration tried this session: held-out perplexity (lower is better) against decode
 * latency on the left and file size on the right, sharing the perplexity axis, each with its
 * Pareto front and the current configuration highlighted. Hover a point for its configuration.
 */
public final class TradeOffChart extends ChartPane {
    private final TradeOffPlot byLatency =
            new TradeOffPlot("decode latency (ms / token)", "ms/token", TradeOffPoint::msPerToken, true);
    private final TradeOffPlot bySize = new TradeOffPlot("file size (MB)", "MB", TradeOffPoint::sizeMb, false);

    public TradeOffChart() {
        super("trade-off");
        CombinedRangeXYPlot plot = ChartStyle.style(new CombinedRangeXYPlot(ChartStyle.axis("held-out perplexity")));
        plot.setGap(16);
        plot.add(byLatency.plot());
        plot.add(bySize.plot());
        setChart(ChartStyle.chart("Quality against latency and size", plot));
    }

    /**
     * Replaces the points shown. {@code current} (may be null) is highlighted and counts as a tried
     * configuration even if {@code points} lacks it. Points without a figure for an axis are left
     * out of that panel.
     */
    public void setPoints(List<TradeOffPoint> points, TradeOffPoint current) {
        deferRedraw();
        List<TradeOffPoint> all = new ArrayList<>(points);
        if (current != null && !all.contains(current)) {
            all.add(current);
        }
        byLatency.show(all, current);
        bySize.show(all, current);
    }
}
