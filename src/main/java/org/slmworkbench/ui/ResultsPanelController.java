package org.slmworkbench.ui;

import java.io.File;
import java.io.IOException;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.FileChooser;
import org.slmworkbench.bench.BenchReport;
import org.slmworkbench.bench.BenchResult;

/** The results table: the seed's "Optimization Results" columns, then ours. */
public final class ResultsPanelController implements Panel {
    @FXML private Label summary;
    @FXML private TableView<BenchResult> table;
    private ResultsViewModel vm;
    private WorkbenchModel workbench;

    @Override
    public void init(WorkbenchModel workbench) {
        this.workbench = workbench;
        vm = new ResultsViewModel(workbench);
        summary.textProperty().bind(vm.summary);
        table.setItems(vm.rows());
        workbench.model.addListener((obs, old, m) -> buildColumns());
        buildColumns();
    }

    private void buildColumns() {
        table.getColumns().clear();
        for (BenchReport.Column c : vm.columns()) {
            TableColumn<BenchResult, String> col = new TableColumn<>(c.header());
            col.setCellValueFactory(cell -> new ReadOnlyStringWrapper(c.value().apply(cell.getValue())));
            table.getColumns().add(col);
        }
    }

    @FXML
    private void onExportMarkdown() {
        save("results.md", "Markdown", "*.md", true);
    }

    @FXML
    private void onExportCsv() {
        save("results.csv", "CSV", "*.csv", false);
    }

    private void save(String name, String kind, String pattern, boolean markdown) {
        FileChooser chooser = new FileChooser();
        chooser.setInitialFileName(name);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, pattern));
        File f = chooser.showSaveDialog(table.getScene().getWindow());
        if (f == null) {
            return;
        }
        try {
            if (markdown) {
                vm.writeMarkdown(f.toPath());
            } else {
                vm.writeCsv(f.toPath());
            }
            workbench.status.set("Wrote " + f);
        } catch (IOException e) {
            workbench.status.set("Cannot write " + f + ": " + e.getMessage());
        }
    }
}
