package org.slmworkbench.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.slmworkbench.bench.BenchReport;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.checkpoint.ModelExport;
import org.slmworkbench.compress.CompressionConfig;

/** Export of the current setting: format, target folder, and the outcome with the size written. */
final class ExportViewModel {
    private final WorkbenchModel workbench;
    final ObjectProperty<ModelExport.Format> format = new SimpleObjectProperty<>(ModelExport.Format.COMPACT);
    final StringProperty folder = new SimpleStringProperty();
    final StringProperty result = new SimpleStringProperty("");
    final BooleanProperty running = new SimpleBooleanProperty();
    /** Fraction of the weights written, while running. */
    final DoubleProperty progress = new SimpleDoubleProperty();
    private EngineTask<Long> task;

    ExportViewModel(WorkbenchModel workbench) {
        this.workbench = workbench;
        CompressionConfig c = workbench.config.get();
        String suffix = c.isNone() ? "copy" : c.toCompactString().replaceAll("[^A-Za-z0-9.]+", "-");
        String model = workbench.model.get() == null ? "model" : workbench.model.get().name();
        folder.set(workbench.modelsFolder.resolve(model + "-" + suffix).toString());
    }

    String setting() {
        return "Setting: " + workbench.config.get().toCompactString() + " of " + workbench.model.get().name();
    }

    void export() {
        String text = folder.get() == null ? "" : folder.get().strip();
        if (text.isEmpty()) {
            result.set("Choose a folder to write to.");
            return;
        }
        Path out = Path.of(text);
        CompressionConfig config = workbench.config.get();
        ModelExport.Format f = format.get();
        String measured = measuredMarkdown();
        running.set(true);
        result.set("Writing…");
        progress.set(0);
        task = EngineTask.of((control, p) -> workbench.state.export(config, f, out, measured, control, p));
        long started = System.nanoTime();
        task.progressProperty().addListener((obs, old, now) -> {
            progress.set(now.doubleValue());
            result.set(ProgressText.of("Writing", now.doubleValue(), (System.nanoTime() - started) / 1e9));
        });
        task.setOnCancelled(e -> {
            running.set(false);
            result.set("Cancelled; nothing was written to " + out.getFileName());
        });
        workbench.run("export", "Exporting " + config.toCompactString() + " to " + out.getFileName() + "…", task, bytes -> {
            running.set(false);
            result.set(String.format(Locale.ROOT, "Wrote %s (%s): %.2f MB", out.getFileName(), f.id(), bytes / 1e6));
            workbench.status.set(result.get());
            // an export into models/ joins the picker
            workbench.refreshModels();
        });
        task.setOnFailed(e -> {
            running.set(false);
            result.set(Errors.describe(task.getException()));
            workbench.status.set(result.get());
        });
    }

    /** Stops a running export between tensors; the folder is then left as it was. */
    void cancel() {
        if (task != null && task.isRunning()) {
            task.cancel();
        }
    }

    private String measuredMarkdown() {
        BenchResult r = workbench.currentResult.get();
        return r == null ? "" : BenchReport.markdown(BenchReport.columns(workbench.model.get().name()), List.of(r),
                "measured in the SLM Workbench window");
    }
}
