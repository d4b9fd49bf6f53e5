package org.slmworkbench.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.bench.QualityWindows;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.compress.PruneMethod;
import org.slmworkbench.compress.Quantization;

/**
 * Slider positions and the setting they make: pruning percent (step 5), sharing as a power of two
 * (0 = off), quantization, exit layer (L = off) and a confidence threshold (0 = off); plus the measured figures
 * of base and compressed side by side.
 */
final class CompressionPanelViewModel {
    static final int MAX_PRUNE_PERCENT = 90;
    static final int MAX_SHARE_STEP = 8;

    private final WorkbenchModel workbench;
    final DoubleProperty prunePercent = new SimpleDoubleProperty();
    final ObjectProperty<PruneMethod> method = new SimpleObjectProperty<>(PruneMethod.MAGNITUDE);
    final DoubleProperty shareStep = new SimpleDoubleProperty();
    final ObjectProperty<Quantization> quantization = new SimpleObjectProperty<>(Quantization.OFF);
    final DoubleProperty exitLayer = new SimpleDoubleProperty(1);
    final DoubleProperty threshold = new SimpleDoubleProperty();
    final IntegerProperty layers = new SimpleIntegerProperty(1);
    final StringBinding pruneText;
    final StringBinding shareText;
    final StringBinding quantText;
    final StringBinding exitText;
    final StringBinding thresholdText;
    final StringBinding configText;
    final ObservableList<FigureRow> figures = FXCollections.observableArrayList();

    CompressionPanelViewModel(WorkbenchModel workbench) {
        this.workbench = workbench;
        pruneText = Bindings.createStringBinding(() -> pruneRatio() == 0 ? "off" : percent(pruneRatio()), prunePercent);
        shareText = Bindings.createStringBinding(() -> {
            int k = clusters();
            ModelInfo m = workbench.model.get();
            return k == 0 ? "off (" + (m == null ? "32" : m.bitsPerWeight()) + "-bit weights)" : k + " clusters · " + bits(k) + " bit" + (bits(k) == 1 ? "" : "s") + " per weight";
        }, shareStep, workbench.model);
        quantText = Bindings.createStringBinding(() -> quantization.get() == Quantization.OFF ? "off"
                : quantization.get().precision().bitsLabel() + " bits per weight", quantization);
        exitText = Bindings.createStringBinding(() -> exit() == layers.get() ? "off (all " + layers.get() + " layers)"
                : "after layer " + exit() + " of " + layers.get(), exitLayer, layers);
        thresholdText = Bindings.createStringBinding(() -> threshold.get() < 0.005 ? "off (static exit)"
                : String.format(Locale.ROOT, "leave at top-1 ≥ %.2f", threshold.get()), threshold);
        configText = Bindings.createStringBinding(() -> workbench.config.get().toCompactString(), workbench.config);
        for (javafx.beans.Observable o : List.of(prunePercent, method, shareStep, quantization, exitLayer, threshold)) {
            o.addListener(x -> workbench.config.set(config()));
        }
        workbench.model.addListener((obs, old, m) -> {
            if (m != null) {
                boolean wasOff = exitLayer.get() >= layers.get();
                layers.set(m.layers());
                exitLayer.set(wasOff ? m.layers() : Math.min(exitLayer.get(), m.layers()));
                if (m.adapter() != null && !m.adapter().setting().isNone()) {
                    // an adapter trained on a compressed copy applies at that setting: show it there
                    show(m.adapter().setting());
                }
            }
        });
        workbench.baseResult.addListener(x -> updateFigures());
        workbench.currentResult.addListener(x -> updateFigures());
        workbench.currentQuality.addListener(x -> updateFigures());
    }

    /** The setting the sliders show. */
    CompressionConfig config() {
        int exit = exit();
        // the slider stops at 0.99; a restored or typed value is kept inside [0, 1) too
        double c = threshold.get() < 0.005 ? 0 : Math.min(0.99, Math.round(threshold.get() * 100) / 100.0);
        int exitLayerOrOff = exit == layers.get() && c == 0 ? 0 : exit;
        return new CompressionConfig(pruneRatio(), method.get(), clusters(), quantization.get(), exitLayerOrOff, c);
    }

    /** Moves the sliders to a setting (e.g. a restored session). */
    void show(CompressionConfig c) {
        method.set(c.pruneMethod());
        prunePercent.set(c.pruneRatio() * 100);
        shareStep.set(c.clusters() == 0 ? 0 : 31 - Integer.numberOfLeadingZeros(c.clusters()));
        quantization.set(c.quantization());
        threshold.set(c.exitThreshold());
        exitLayer.set(c.exitLayer() == 0 ? layers.get() : Math.min(c.exitLayer(), layers.get()));
    }

    double pruneRatio() {
        return Math.min(MAX_PRUNE_PERCENT, Math.round(prunePercent.get() / 5) * 5) / 100.0;
    }

    int clusters() {
        int step = (int) Math.round(shareStep.get());
        return step == 0 ? 0 : 1 << step;
    }

    private int exit() {
        return Math.max(1, Math.min(layers.get(), (int) Math.round(exitLayer.get())));
    }

    private static int bits(int k) {
        return 32 - Integer.numberOfLeadingZeros(k - 1);
    }

    private void updateFigures() {
        BenchResult b = workbench.baseResult.get();
        BenchResult c = workbench.currentResult.get();
        List<FigureRow> rows = new ArrayList<>();
        if (b != null) {
            rows.add(row("Decode (ms/token)", b, c, BenchResult::decodeMsPerTokenP50, "%.2f"));
            rows.add(row("Tokens/s", b, c, BenchResult::tokensPerS, "%.0f"));
            rows.add(row("Layers per token", b, c, BenchResult::meanExitLayer, "%.2f"));
            rows.add(row("Weights (MB)", b, c, r -> r.weightsBytes() / 1e6, "%.2f"));
            rows.add(row("Dense file (MB)", b, c, r -> r.denseFileBytes() / 1e6, "%.2f"));
            rows.add(row("Compact file (MB)", b, c, r -> r.compactFileBytes() / 1e6, "%.2f"));
            QualityWindows.Figures bq = workbench.baseQuality.get();
            QualityWindows.Figures cq = workbench.currentQuality.get();
            long tokens = cq == null ? 0 : cq.tokens();
            String over = tokens == 0 ? "" : " · " + tokens + " tok";
            String ppl = decimalsFor(b.perplexity());
            rows.add(withIntervals(row("Perplexity" + over, b, c, BenchResult::perplexity, ppl), ppl,
                    bq == null ? null : bq.perplexity(), cq == null ? null : cq.perplexity(), 1));
            rows.add(withIntervals(row("Top-1 agreement" + over, b, c, r -> 100 * r.top1Agreement(), "%.1f%%"), "%.1f%%", null,
                    cq == null ? null : cq.top1Agreement(), 100));
            rows.add(withIntervals(row("Mean KL (nats)" + over, b, c, BenchResult::meanKl, "%.4f"), "%.4f", null,
                    cq == null ? null : cq.meanKl(), 1));
            rows.add(row("Anomaly AUC", b, c, BenchResult::anomalyAuc, "%.3f"));
            rows.add(row("Valid code %", b, c, BenchResult::validCodePct, "%.1f"));
            rows.add(row("Quality score", b, c, BenchResult::qualityScore, "%.1f"));
        }
        figures.setAll(rows);
    }

    private static FigureRow row(String name, BenchResult base, BenchResult now, ToDoubleFunction<BenchResult> f, String format) {
        double x = f.applyAsDouble(base);
        double y = now == null ? Double.NaN : f.applyAsDouble(now);
        String change = Double.isNaN(x) || Double.isNaN(y) || x == 0 ? "" : String.format(Locale.ROOT, "%+.1f%%", 100 * (y - x) / x);
        return new FigureRow(name, text(format, x), text(format, y), change);
    }

    /** Three decimals for a perplexity near 1, fewer as it grows (a random model's 57,000 needs none), so value and interval fit. */
    private static String decimalsFor(double perplexity) {
        return perplexity < 100 || Double.isNaN(perplexity) ? "%.3f" : perplexity < 10_000 ? "%.1f" : "%.0f";
    }

    /** The row with "± half-width" after each side's value while its interval is known (scaled like the value). */
    private static FigureRow withIntervals(FigureRow row, String format, QualityWindows.Estimate base, QualityWindows.Estimate now,
            double scale) {
        return new FigureRow(row.figure(), plusMinus(row.base(), format, base, scale), plusMinus(row.compressed(), format, now, scale),
                row.change());
    }

    private static String plusMinus(String value, String format, QualityWindows.Estimate e, double scale) {
        return e == null || Double.isNaN(e.halfWidth()) || value.equals("–") ? value
                : value + " ± " + String.format(Locale.ROOT, format, scale * e.halfWidth());
    }

    private static String text(String format, double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, format, v);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%% of weights", ratio * 100);
    }
}
