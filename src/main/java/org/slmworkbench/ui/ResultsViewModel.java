package org.slmworkbench.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.collections.ObservableList;
import org.slmworkbench.bench.BenchReport;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.io.AtomicFiles;

/** Every setting measured this session, in the report's columns, exportable as Markdown and CSV. */
final class ResultsViewModel {
    private final WorkbenchModel workbench;
    final StringBinding summary;

    ResultsViewModel(WorkbenchModel workbench) {
        this.workbench = workbench;
        summary = Bindings.createStringBinding(() -> workbench.results.size() + " setting(s) measured this session"
                + (workbench.model.get() == null ? "" : " on " + workbench.model.get().name()), workbench.results, workbench.model);
    }

    ObservableList<BenchResult> rows() {
        return workbench.results;
    }

    List<BenchReport.Column> columns() {
        return BenchReport.columns(modelName());
    }

    void writeMarkdown(Path file) throws IOException {
        AtomicFiles.writeString(file, BenchReport.markdown(columns(), List.copyOf(workbench.results), "measured in the SLM Workbench window"));
    }

    void writeCsv(Path file) throws IOException {
        AtomicFiles.writeString(file, BenchReport.csv(columns(), List.copyOf(workbench.results)));
    }

    private String modelName() {
        return workbench.model.get() == null ? "" : workbench.model.get().name();
    }
}
