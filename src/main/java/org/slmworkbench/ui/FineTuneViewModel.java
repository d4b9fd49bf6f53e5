package org.slmworkbench.ui;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.data.DataOptions;
import org.slmworkbench.lora.LoraConfig;
import org.slmworkbench.lora.PeftAdapter;
import org.slmworkbench.model.Engines;
import org.slmworkbench.train.TrainConfig;
import org.slmworkbench.train.TrainResult;
import org.slmworkbench.train.TrainingJob;
import org.slmworkbench.train.TrainingMemory;
import org.slmworkbench.train.TrainingProgress;

/**
 * A fine-tune of the chosen model on the chosen data, on its own thread beside the engine: steps,
 * learning rate, a cap on CPU threads, progress with ETA, losses for the chart, pause, resume and
 * cancel. Checkpoints are whole folders swapped in, so a stop at any moment leaves a loadable model.
 */
final class FineTuneViewModel {
    private final WorkbenchModel workbench;
    private final EngineQueue thread = new EngineQueue("fine-tune");
    final IntegerProperty steps = new SimpleIntegerProperty(200);
    final StringProperty learningRate = new SimpleStringProperty("3e-4");
    final IntegerProperty threads = new SimpleIntegerProperty(Engines.defaultThreads());
    final StringProperty outName = new SimpleStringProperty("");
    /** Adds the early-exit loss (weight 1), so exits at any layer give usable predictions. */
    final BooleanProperty trainExits = new SimpleBooleanProperty();
    /** Trains LoRA adapters on the frozen base instead of every weight: on by default above {@link #LORA_ABOVE} parameters. */
    final BooleanProperty lora = new SimpleBooleanProperty();
    final IntegerProperty loraRank = new SimpleIntegerProperty(16);
    /** What the run will take in memory, shown before it starts. */
    final StringProperty memoryNeed = new SimpleStringProperty("");
    final BooleanProperty running = new SimpleBooleanProperty();
    final BooleanProperty paused = new SimpleBooleanProperty();
    final DoubleProperty progress = new SimpleDoubleProperty();
    final StringProperty progressText = new SimpleStringProperty("");
    final StringProperty log = new SimpleStringProperty("");
    /** The adapter a LoRA run left (at its end, or its last checkpoint), to open over the base it trained on; null for none. */
    final ObjectProperty<Path> leftAdapter = new SimpleObjectProperty<>();
    /** The model folder that adapter goes over. */
    private Path leftAdapterBase;
    /** Receives (step, train loss) and (step, held-out loss) as they come. */
    Consumer<TrainingProgress> onProgress = p -> { };
    Runnable onStart = () -> { };
    private EngineTask<TrainResult> task;

    FineTuneViewModel(WorkbenchModel workbench) {
        this.workbench = workbench;
        workbench.model.addListener((obs, old, m) -> {
            if (m != null && !running.get()) {
                outName.set(freeName(m.name() + "-ft"));
                lora.set(m.parameters() > LORA_ABOVE);
            }
            memoryNeed.set(memoryNeed());
        });
        lora.addListener((obs, old, on) -> memoryNeed.set(memoryNeed()));
        loraRank.addListener((obs, old, r) -> memoryNeed.set(memoryNeed()));
    }

    /** Above this many parameters a step is a billion-parameter pass: LoRA by default, and steps of one 256-token window. */
    static final long LORA_ABOVE = 300_000_000L;

    /** Steps of 16 windows of 128 tokens on a small model; of one window of 256 above {@link #LORA_ABOVE}. */
    private static TrainConfig stepShape(ModelInfo m, int steps, double lr) {
        boolean large = m.parameters() > LORA_ABOVE;
        TrainConfig cfg = TrainConfig.defaults(steps, large ? 1 : 16, Math.min(m.context(), large ? 256 : 128), lr, 1337);
        // each held-out window costs a forward pass of seconds at a billion parameters
        return large ? cfg.withEvalWindows(2) : cfg;
    }

    private String memoryNeed() {
        ModelInfo m = workbench.model.get();
        if (m == null) {
            return "";
        }
        TrainConfig shape = stepShape(m, 1, 3e-4);
        long need = lora.get() ? TrainingMemory.lora(m.shape(), m.weightBytes(), m.widens(), loraRank.get(), shape.batchSize(), shape.context())
                : TrainingMemory.full(m.shape(), shape.batchSize(), shape.context());
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return String.format(Locale.ROOT, "%s: about %s for the run, beside the %s this window holds; this computer has %.0f GB%s",
                lora.get() ? "LoRA r=" + loraRank.get() + " on a frozen base" : "Every weight trains", size(need), size(m.weightBytes()),
                total / 1e9, need + m.weightBytes() > total ? ". Too much: turn LoRA on or pick a smaller model" : "");
    }

    private static String size(long bytes) {
        return bytes < 1e9 ? String.format(Locale.ROOT, "%.0f MB", bytes / 1e6) : String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    String source() {
        ModelInfo m = workbench.model.get();
        List<Path> data = workbench.datasetPaths.get();
        return m == null || data == null ? "Pick a model and a dataset to fine-tune."
                : "Fine-tunes " + m.name() + (m.adapter() == null ? "" : " (its folder, without the adapter)")
                        + (workbench.config.get().isNone() ? "" : " compressed as " + workbench.config.get().toCompactString()
                        + " (masks and clusters stay fixed)") + " on " + data.get(0).getFileName() + "; the result appears under models/.";
    }

    void start() {
        ModelInfo m = workbench.model.get();
        List<Path> data = workbench.datasetPaths.get();
        DataOptions dataOptions = workbench.dataOptions.get();
        if (running.get() || m == null || data == null) {
            return;
        }
        double lr;
        try {
            lr = Double.parseDouble(learningRate.get().strip());
            TrainConfig.defaults(steps.get(), 16, 128, lr, 1337).validate();
        } catch (IllegalArgumentException e) {
            progressText.set("Learning rate: " + (e instanceof NumberFormatException ? "not a number: " + learningRate.get() : e.getMessage()));
            return;
        }
        String name = outName.get().strip();
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            progressText.set("Name the new model with a plain folder name");
            return;
        }
        Path out = workbench.modelsFolder.resolve(name);
        if (Files.exists(out)) {
            progressText.set(out + " exists already; choose another name");
            return;
        }
        int steps = this.steps.get();
        LoraConfig adapters = lora.get() ? LoraConfig.of(loraRank.get(), null, null) : null;
        TrainConfig cfg = stepShape(m, steps, lr).withCheckpointEvery(Math.max(25, steps / 5)).withExitLoss(trainExits.get() ? 1 : 0);
        int cap = threads.get();
        // a recovery fine-tune of the setting shown: its masks and clusters stay fixed
        CompressionConfig compression = workbench.config.get().withoutExitThreshold();
        log.set("");
        leftAdapter.set(null);
        progress.set(0);
        running.set(true);
        paused.set(false);
        onStart.run();
        task = EngineTask.of((control, report) -> {
            int before = Engines.threads();
            Engines.setThreads(cap);
            try {
                return TrainingJob.run(new TrainingJob.Request(data, out, null, m.dir(), compression, cfg, false,
                        "fine-tuned in the SLM Workbench window", dataOptions, adapters),
                        p -> Platform.runLater(() -> show(p)), line -> Platform.runLater(() -> log.set(log.get() + line + "\n")), control);
            } finally {
                Engines.setThreads(before);
            }
        });
        task.setOnSucceeded(e -> finished(m.dir(), out, task.getValue()));
        task.setOnFailed(e -> {
            running.set(false);
            progressText.set("Fine-tune failed: " + Errors.describe(task.getException()));
        });
        task.setOnCancelled(e -> {
            running.set(false);
            workbench.refreshModels();
            progressText.set(Files.isDirectory(out) ? "Cancelled; " + checkpointIn(m.dir(), out)
                    : "Cancelled before the first checkpoint; nothing was written");
        });
        thread.submit(task);
    }

    private void show(TrainingProgress p) {
        if (!running.get()) {
            // a report queued before a cancel must not overwrite the outcome
            return;
        }
        progress.set((double) p.step() / p.totalSteps());
        progressText.set(String.format(Locale.ROOT, "step %d of %d · loss %.3f%s · %.0f ms/step · ETA %s", p.step(), p.totalSteps(), p.loss(),
                p.hasHeldoutLoss() ? String.format(Locale.ROOT, " · held out %.3f", p.heldoutLoss()) : "", p.msPerStep(),
                eta(p.etaSeconds())));
        onProgress.accept(p);
    }

    private void finished(Path base, Path out, TrainResult r) {
        running.set(false);
        workbench.refreshModels();
        if (r.cancelled()) {
            progressText.set("Cancelled at step " + r.stepsDone() + (Files.isDirectory(out) ? "; " + checkpointIn(base, out) : ""));
        } else {
            progress.set(1);
            progressText.set(String.format(Locale.ROOT, "Done: %d steps, held-out loss %.3f; saved as models/%s", r.stepsDone(), r.heldoutLoss(),
                    out.getFileName()));
            offerAdapter(base, out);
            outName.set(freeName(out.getFileName().toString()));
        }
        workbench.status.set(progressText.get());
    }

    /**
     * Where a stopped run's last checkpoint is: a full run's is a model folder, listed under models/;
     * a LoRA run's is an adapter folder, offered for opening over its base instead.
     */
    private String checkpointIn(Path base, Path out) {
        if (!offerAdapter(base, out)) {
            return "the last checkpoint is in models/" + out.getFileName();
        }
        return "the last checkpoint is the adapter models/" + out.getFileName() + "/" + PeftAdapter.RUN_FOLDER + ", to open over "
                + base.getFileName();
    }

    /** Offers the adapter a LoRA run wrote in {@code out}, if it wrote one; true when it did. */
    private boolean offerAdapter(Path base, Path out) {
        Path dir = out.resolve(PeftAdapter.RUN_FOLDER);
        if (!PeftAdapter.existsIn(dir)) {
            return false;
        }
        leftAdapterBase = base;
        leftAdapter.set(dir);
        return true;
    }

    /** Opens the base a LoRA run trained on with the adapter it left, as the model panel's "Adapter…" does. */
    void openLeftAdapter() {
        if (leftAdapter.get() != null && !running.get()) {
            workbench.selectModel(leftAdapterBase, leftAdapter.get());
        }
    }

    void pauseOrResume() {
        if (task == null || !running.get()) {
            return;
        }
        if (paused.get()) {
            task.control().resume();
        } else {
            task.control().pause();
        }
        paused.set(!paused.get());
        progressText.set(paused.get() ? "Paused at " + progressText.get() : progressText.get().replaceFirst("^Paused at ", ""));
    }

    void cancel() {
        if (task != null) {
            task.cancel();
        }
    }

    /** Cancels a running fine-tune and calls {@code then} on the FX thread once its thread has stopped. */
    void stopThen(Runnable then) {
        cancel();
        thread.shutdown(() -> Platform.runLater(then));
    }

    private String freeName(String base) {
        String name = base;
        for (int i = 2; Files.exists(workbench.modelsFolder.resolve(name)); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    private static String eta(double seconds) {
        if (Double.isNaN(seconds) || seconds < 0) {
            return "–";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
