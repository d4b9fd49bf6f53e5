package org.slmworkbench.ui;

import javafx.fxml.FXML;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.slmworkbench.ui.charts.LiveRunChart;
import org.slmworkbench.ui.charts.Side;
import org.slmworkbench.ui.charts.TradeOffChart;

/** Live per-token latency and memory of the current run, and the trade-off of every setting tried. */
public final class ChartsPanelController implements Panel {
    @FXML private HBox box;
    final LiveRunChart live = new LiveRunChart();
    final TradeOffChart tradeOff = new TradeOffChart();
    private final double[] decodeMs = new double[Side.values().length];
    private final int[] decoded = new int[Side.values().length];
    private long runStart = System.nanoTime();

    @Override
    public void init(WorkbenchModel workbench) {
        ChartsViewModel vm = new ChartsViewModel(workbench);
        HBox.setHgrow(live, Priority.ALWAYS);
        HBox.setHgrow(tradeOff, Priority.ALWAYS);
        live.setPrefWidth(500);
        tradeOff.setPrefWidth(500);
        box.getChildren().setAll(live, tradeOff);
        workbench.runListeners.add(() -> {
            live.clear();
            java.util.Arrays.fill(decodeMs, 0);
            java.util.Arrays.fill(decoded, 0);
            runStart = System.nanoTime();
        });
        workbench.tokenListeners.add(t -> {
            Side side = t.compressed() ? Side.COMPRESSED : Side.BASE;
            live.addToken(side, t.seconds(), t.millis());
            if (t.index() > 0) {
                // tokens/s of decoding: the first token pays for the prompt
                decodeMs[side.ordinal()] += t.millis();
                decoded[side.ordinal()]++;
                live.setTokensPerSecond(side, 1000 * decoded[side.ordinal()] / decodeMs[side.ordinal()]);
            }
        });
        workbench.results.addListener((javafx.collections.ListChangeListener<Object>) c -> tradeOff.setPoints(vm.points(), vm.current()));
        workbench.currentResult.addListener((obs, old, r) -> tradeOff.setPoints(vm.points(), vm.current()));
        // process memory over time while the engine works
        workbench.rssMb.addListener((obs, old, mb) -> {
            if (workbench.busy.get()) {
                live.addMemory((System.nanoTime() - runStart) / 1e9, mb.doubleValue());
            }
        });
    }

    LiveRunChart live() {
        return live;
    }

}
