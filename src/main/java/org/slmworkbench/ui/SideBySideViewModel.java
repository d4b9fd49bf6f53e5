package org.slmworkbench.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.generate.GenerationResult;
import org.slmworkbench.generate.SamplingConfig;
import org.slmworkbench.generate.TextStream;

/**
 * Side-by-side generation: one prompt, the base and the compressed model in turns with one seed,
 * the tokens of each side as they come, each side's tokens/s and the first token where they part.
 */
final class SideBySideViewModel {
    private final WorkbenchModel workbench;
    final StringProperty prompt = new SimpleStringProperty("");
    final IntegerProperty tokens = new SimpleIntegerProperty(64);
    final DoubleProperty temperature = new SimpleDoubleProperty(0.8);
    final IntegerProperty seed = new SimpleIntegerProperty(42);
    final BooleanProperty running = new SimpleBooleanProperty();
    final StringProperty baseSpeed = new SimpleStringProperty("");
    final StringProperty compressedSpeed = new SimpleStringProperty("");
    final StringProperty divergenceText = new SimpleStringProperty("");
    /** Index of the first new token where the sides differ, or -1 while they agree. */
    final IntegerProperty divergence = new SimpleIntegerProperty(-1);
    final List<TokenShown> baseTokens = new ArrayList<>();
    final List<TokenShown> compressedTokens = new ArrayList<>();
    private String promptShown = "";
    private EngineTask<SideBySideRun> task;

    SideBySideViewModel(WorkbenchModel workbench) {
        this.workbench = workbench;
        workbench.dataset.addListener((obs, old, d) -> {
            // a real prefix of the chosen data, unless the user wrote their own prompt
            if (d != null && (prompt.get().isEmpty() || prompt.get().equals(promptShown))) {
                promptShown = d.promptPrefix();
                prompt.set(promptShown);
            }
        });
    }

    void generate() {
        if (running.get() || !workbench.upToDate.get()) {
            return;
        }
        baseTokens.clear();
        compressedTokens.clear();
        divergence.set(-1);
        divergenceText.set("");
        baseSpeed.set("");
        compressedSpeed.set("");
        workbench.runListeners.forEach(Runnable::run);
        String text = prompt.get();
        SamplingConfig sampling = new SamplingConfig(tokens.get(), temperature.get(), 40, 0.95, seed.get(), true);
        CompressionConfig config = workbench.config.get();
        running.set(true);
        task = EngineTask.of((control, progress) -> {
            TextStream[] streams = {null, null};
            long start = System.nanoTime();
            return workbench.state.sideBySide(text, sampling, config.exitThreshold(), (compressed, e) -> {
                int side = compressed ? 1 : 0;
                if (streams[side] == null) {
                    streams[side] = workbench.state.textStream();
                }
                TokenShown shown = new TokenShown(compressed, e.index(), e.tokenId(), streams[side].push(e.tokenId()), e.millis(),
                        (System.nanoTime() - start) / 1e9);
                Platform.runLater(() -> show(shown));
            }, control);
        });
        task.setOnCancelled(e -> running.set(false));
        workbench.run("generate", "Generating with both models…", task, run -> {
            running.set(false);
            baseSpeed.set(speed(run.base()));
            compressedSpeed.set(speed(run.compressed()) + (config.exitThreshold() > 0
                    ? String.format(Locale.ROOT, " · %.2f layers/token", run.compressed().meanExitLayer()) : ""));
            workbench.status.set("Generated " + run.base().newIds().length + " and " + run.compressed().newIds().length + " tokens");
        });
        task.setOnFailed(e -> {
            running.set(false);
            workbench.status.set(Errors.describe(task.getException()));
        });
    }

    void cancel() {
        if (task != null) {
            task.cancel();
        }
    }

    private void show(TokenShown t) {
        (t.compressed() ? compressedTokens : baseTokens).add(t);
        workbench.tokenListeners.forEach(l -> l.accept(t));
        int i = t.index();
        if (divergence.get() < 0 && i < baseTokens.size() && i < compressedTokens.size()
                && baseTokens.get(i).tokenId() != compressedTokens.get(i).tokenId()) {
            divergence.set(i);
            divergenceText.set("The outputs part at new token " + (i + 1) + ": base \"" + visible(baseTokens.get(i).text())
                    + "\", compressed \"" + visible(compressedTokens.get(i).text()) + "\"");
        }
        if (i >= 1) {
            (t.compressed() ? compressedSpeed : baseSpeed).set(String.format(Locale.ROOT, "%.0f tokens/s", rate(t.compressed()
                    ? compressedTokens : baseTokens)));
        }
    }

    private static double rate(List<TokenShown> side) {
        double ms = side.stream().skip(1).mapToDouble(TokenShown::millis).sum();
        return (side.size() - 1) * 1000 / ms;
    }

    private static String speed(GenerationResult r) {
        return Double.isNaN(r.decodeTokensPerSecond()) ? "" : String.format(Locale.ROOT, "%.0f tokens/s", r.decodeTokensPerSecond());
    }

    private static String visible(String s) {
        return s.replace("\n", "\\n");
    }
}
