package org.slmworkbench.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Worker;
import javafx.util.Duration;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.bench.ProcessMemory;
import org.slmworkbench.bench.QualityWindows;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.data.DataOptions;
import org.slmworkbench.model.Engines;

/**
 * The session every panel shares, on the FX thread: the chosen model, dataset and compression
 * setting, the latest measurements, and every setting measured so far. Model work goes to the
 * engine thread; results come back as property changes. A newer slider position cancels older work.
 */
final class WorkbenchModel {
    /** Slider moves closer together than this make one recompression. */
    static final Duration DEBOUNCE = Duration.millis(250);

    final Path modelsFolder;
    final Path samplesFolder;
    final EngineQueue engine = new EngineQueue("engine");
    final EngineState state = new EngineState();
    final ObservableList<Path> models = FXCollections.observableArrayList();
    final ObjectProperty<ModelInfo> model = new SimpleObjectProperty<>();
    final ObjectProperty<DatasetInfo> dataset = new SimpleObjectProperty<>();
    final ObjectProperty<List<Path>> datasetPaths = new SimpleObjectProperty<>();
    /** How the chosen data is read (text field or column of row formats, extensions of source folders). */
    final ObjectProperty<DataOptions> dataOptions = new SimpleObjectProperty<>(DataOptions.DEFAULTS);
    final ObjectProperty<CompressionConfig> config = new SimpleObjectProperty<>(CompressionConfig.NONE);
    final ObjectProperty<BenchResult> baseResult = new SimpleObjectProperty<>();
    final ObjectProperty<BenchResult> currentResult = new SimpleObjectProperty<>();
    /** The quality figures' intervals and token counts, base and current, over the same held-out windows. */
    final ObjectProperty<QualityWindows.Figures> baseQuality = new SimpleObjectProperty<>();
    final ObjectProperty<QualityWindows.Figures> currentQuality = new SimpleObjectProperty<>();
    /** Every setting measured this session, the newest measurement of each. */
    final ObservableList<BenchResult> results = FXCollections.observableArrayList();
    final StringProperty status = new SimpleStringProperty("Ready");
    /** Why the last model or adapter folder chosen did not open ("" when it did): the status line moves on, this stays in the model panel. */
    final StringProperty modelProblem = new SimpleStringProperty("");
    /** Resident memory of the whole process, sampled four times a second (a /proc read: microseconds). */
    final DoubleProperty rssMb = new SimpleDoubleProperty();
    final BooleanProperty busy = new SimpleBooleanProperty();
    /** True while the models on the engine side match the model, dataset and setting shown. */
    final BooleanProperty upToDate = new SimpleBooleanProperty();
    /** Listeners for generated tokens (the output panel, the live chart) and for the start of a run. */
    final List<Consumer<TokenShown>> tokenListeners = new ArrayList<>();
    final List<Runnable> runListeners = new ArrayList<>();
    private final PauseTransition debounce = new PauseTransition(DEBOUNCE);
    private int pending;
    /** Settings whose row in the results holds a full measurement (repeats, AUC, code columns). */
    private final Set<String> measuredFully = new HashSet<>();
    /** Milliseconds from the last settled slider move (after the debounce) to its figures on screen. */
    long lastUpdateMillis;
    /** Milliseconds from the last settled slider move to its first measured decode figure on screen (-1 until then). */
    long firstDecodeMillis = -1;

    WorkbenchModel(Path modelsFolder, Path samplesFolder) {
        this.modelsFolder = modelsFolder;
        this.samplesFolder = samplesFolder;
        debounce.setOnFinished(e -> remeasure());
        Timeline memory = new Timeline(new KeyFrame(Duration.millis(250), e -> rssMb.set(ProcessMemory.rssBytes() / 1e6)));
        memory.setCycleCount(Animation.INDEFINITE);
        memory.play();
        config.addListener((obs, old, now) -> {
            upToDate.set(false);
            debounce.playFromStart();
        });
        refreshModels();
        // all cores but one for the models, so the window always has a core
        engine.submit(EngineTask.of((control, progress) -> Engines.setThreads(0)));
    }

    void refreshModels() {
        models.setAll(ModelsFolder.list(modelsFolder));
    }

    void selectModel(Path dir) {
        selectModel(dir, null);
    }

    /** Loads a model with a LoRA adapter folder over it, or without one ({@code adapter} null). */
    void selectModel(Path dir, Path adapter) {
        upToDate.set(false);
        String what = dir.getFileName() + (adapter == null ? "" : " with the adapter " + adapter.getFileName());
        run("model", "Loading " + what + "…", EngineTask.of((control, progress) -> state.load(dir, adapter)), info -> {
            modelProblem.set("");
            model.set(info);
            if (!models.contains(dir)) {
                models.add(dir);
            }
            status.set("Loaded " + what);
            remeasure();
        });
    }

    void selectDataset(List<Path> paths, DataOptions options) {
        upToDate.set(false);
        run("dataset", "Reading " + paths.get(0).getFileName() + "…", EngineTask.of((control, progress) -> state.useDataset(paths, options)),
                info -> {
            dataOptions.set(options);
            datasetPaths.set(paths);
            dataset.set(info);
            status.set("Dataset " + info.name());
            remeasure();
        });
    }

    /**
     * Measures the base and the current setting progressively, newest request winning: figures
     * appear as each is measured (decode first), the row joins the results table when all are in.
     */
    private void remeasure() {
        if (model.get() == null || dataset.get() == null) {
            return;
        }
        CompressionConfig c = config.get();
        long asked = System.nanoTime();
        firstDecodeMillis = -1;
        EngineTask<EngineState.Measured> task = EngineTask.progressive(
                (control, progress, partial) -> state.compress(c, control, progress, partial));
        task.onPartial(m -> show(c, m, asked));
        run("compress", "Compressing and measuring " + c.toCompactString() + "…", task, m -> {
            show(c, m, asked);
            lastUpdateMillis = (System.nanoTime() - asked) / 1_000_000;
            recordQuick(m.base());
            if (c.equals(config.get())) {
                upToDate.set(true);
                recordQuick(m.compressed());
                status.set(String.format(Locale.ROOT, "%s: compressed in %d ms; first decode figure %d ms, all figures %d ms after the move",
                        c.toCompactString(), m.compressed().compressMs(), firstDecodeMillis, lastUpdateMillis));
            }
        });
    }

    /** Shows figures as far as they are measured. */
    private void show(CompressionConfig c, EngineState.Measured m, long asked) {
        baseResult.set(m.base());
        baseQuality.set(m.baseQuality());
        if (c.equals(config.get())) {
            currentResult.set(m.compressed());
            currentQuality.set(m.quality());
            if (firstDecodeMillis < 0 && !Double.isNaN(m.compressed().decodeMsPerTokenP50())) {
                firstDecodeMillis = (System.nanoTime() - asked) / 1_000_000;
            }
        }
    }

    /** Full measurement of the current setting (repeats, AUC), with progress; the row replaces the quick one. */
    void measureFull() {
        CompressionConfig c = config.get();
        EngineTask<EngineState.Measured> task = EngineTask.of((control, progress) -> state.measureFull(c, control, progress));
        run("measure", "Measuring " + c.toCompactString() + " (full)…", task, m -> {
            BenchResult r = m.compressed();
            measuredFully.add(r.config());
            record(r);
            if (c.equals(config.get())) {
                // the base's quality over the same windows, so both columns compare like for like
                baseResult.set(m.base());
                baseQuality.set(m.baseQuality());
                currentResult.set(r);
                currentQuality.set(m.quality());
            }
            status.set("Measured " + r.name());
        });
    }

    /** A quick measurement joins the table unless the setting was already measured fully this session. */
    private void recordQuick(BenchResult r) {
        if (!measuredFully.contains(r.config())) {
            record(r);
        }
    }

    private void record(BenchResult r) {
        results.removeIf(old -> old.config().equals(r.config()));
        results.add(r);
    }

    /**
     * Runs engine work, tracking busy state and errors. Work in the same slot replaces older work.
     * @return the task, for callers that also follow its progress
     */
    <T> EngineTask<T> run(String slot, String message, EngineTask<T> task, Consumer<T> done) {
        pending++;
        busy.set(true);
        status.set(message);
        long started = System.nanoTime();
        // the engine's progress and message, with an estimate of what is left, while this task is the latest
        javafx.beans.InvalidationListener shown = x -> {
            if (task.isRunning() && task.getMessage() != null && !task.getMessage().isEmpty()) {
                status.set(ProgressText.of(task.getMessage(), task.getProgress(), (System.nanoTime() - started) / 1e9));
            }
        };
        task.messageProperty().addListener(shown);
        task.progressProperty().addListener(shown);
        task.onDone(done, error -> {
            status.set(Errors.describe(error));
            if (slot.equals("model")) {
                modelProblem.set(Errors.describe(error));
            }
            if (slot.equals("model") || slot.equals("dataset")) {
                // the engine kept the model and data it had: measure them again so the window is usable
                remeasure();
            }
        });
        task.stateProperty().addListener((obs, old, now) -> {
            if (now == Worker.State.SUCCEEDED || now == Worker.State.FAILED || now == Worker.State.CANCELLED) {
                busy.set(--pending > 0);
            }
        });
        engine.submitLatest(slot, task);
        return task;
    }

    void shutdown() {
        debounce.stop();
        engine.shutdown(state::close);
    }
}
