package org.slmworkbench.ui;

import java.util.List;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.ui.charts.TradeOffPoint;

/** What the charts plot: every measured setting as a trade-off point (compact file size, the real saving). */
final class ChartsViewModel {
    private final WorkbenchModel workbench;

    ChartsViewModel(WorkbenchModel workbench) {
        this.workbench = workbench;
    }

    List<TradeOffPoint> points() {
        return workbench.results.stream().map(ChartsViewModel::point).toList();
    }

    TradeOffPoint current() {
        BenchResult r = workbench.currentResult.get();
        return r == null ? null : point(r);
    }

    static TradeOffPoint point(BenchResult r) {
        return new TradeOffPoint(r.config(), r.perplexity(), r.decodeMsPerTokenP50(), r.compactFileBytes() / 1e6);
    }
}
