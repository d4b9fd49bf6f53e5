package org.slmworkbench.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.Document;
import org.slmworkbench.data.TextDataset;
import org.slmworkbench.logs.AlertGroup;
import org.slmworkbench.logs.LmContext;
import org.slmworkbench.logs.LogLine;
import org.slmworkbench.logs.LogScoring;
import org.slmworkbench.logs.ScoredLine;

/**
 * The Logs view: the chosen dataset's held-out lines scored by the base model, the worst first,
 * and the alerts at the chosen rate grouped by masked skeleton. The training part is the normal
 * period the templates are counted on and the threshold calibrated on, as {@code score --period}.
 */
final class LogsViewModel {
    /** As the engine splits a dataset (its last tenth of each file is held out). */
    private static final double HELDOUT_FRACTION = 0.1;
    static final int LINES_SHOWN = 40;

    private final WorkbenchModel workbench;
    final DoubleProperty alertRate = new SimpleDoubleProperty(100);
    /** Read each file as one stream of raw text rather than each line as its masked skeleton (see {@link LmContext}). */
    final BooleanProperty stream = new SimpleBooleanProperty();
    final BooleanProperty running = new SimpleBooleanProperty();
    final StringProperty summary = new SimpleStringProperty("Score the chosen dataset's held-out lines to read the worst first.");
    final ObservableList<ScoredLine> worst = FXCollections.observableArrayList();
    final ObservableList<AlertGroup> groups = FXCollections.observableArrayList();

    LogsViewModel(WorkbenchModel workbench) {
        this.workbench = workbench;
    }

    void score() {
        List<java.nio.file.Path> paths = workbench.datasetPaths.get();
        if (running.get() || paths == null || workbench.model.get() == null) {
            return;
        }
        double rate = alertRate.get();
        LmContext context = stream.get() ? LmContext.STREAM : LmContext.LINE;
        var options = workbench.dataOptions.get();
        running.set(true);
        EngineTask<LogScoring.Calibrated> task = EngineTask.of((control, progress) -> {
            TextDataset data = DatasetLoader.load(paths, HELDOUT_FRACTION, options);
            List<LogLine> period = lines(data.train());
            List<LogLine> heldout = lines(data.heldout());
            progress.report(-1, String.format(Locale.ROOT, "Scoring %,d held-out lines…", heldout.size()));
            return LogScoring.calibrated(workbench.state.base(), context, heldout.isEmpty() ? period : heldout, period, rate);
        });
        task.setOnCancelled(e -> running.set(false));
        task.setOnFailed(e -> running.set(false));
        workbench.run("logs", "Scoring held-out lines…", task, this::show);
    }

    private void show(LogScoring.Calibrated result) {
        running.set(false);
        List<ScoredLine> sorted = new ArrayList<>(result.lines());
        sorted.sort(Comparator.comparingDouble(ScoredLine::score).reversed());
        worst.setAll(sorted.subList(0, Math.min(LINES_SHOWN, sorted.size())));
        groups.setAll(AlertGroup.of(result.lines(), result.threshold()));
        long alerts = groups.stream().mapToLong(AlertGroup::count).sum();
        summary.set(String.format(Locale.ROOT, "%,d held-out lines; %,d alerts in %d groups at %s", result.lines().size(), alerts,
                groups.size(), result.threshold().describe()));
        workbench.status.set("Scored " + result.lines().size() + " held-out lines");
    }

    /** Each document's lines, numbered within it. */
    private static List<LogLine> lines(List<Document> docs) {
        List<LogLine> out = new ArrayList<>();
        for (Document d : docs) {
            out.addAll(LogLine.numbered(d.source().getFileName().toString(), List.of(d.text().split("\r?\n"))));
        }
        return out;
    }
}
