package org.slmworkbench.ui;

import java.io.File;
import java.nio.file.Path;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/** Dataset picker with a preview of the first lines and the held-out split. */
public final class DatasetPanelController implements Panel {
    @FXML private ComboBox<Path> picker;
    @FXML private Label split;
    @FXML private TextField field;
    @FXML private TextField extensions;
    @FXML private ListView<String> preview;
    private DatasetPanelViewModel vm;

    @Override
    public void init(WorkbenchModel workbench) {
        vm = new DatasetPanelViewModel(workbench);
        picker.setItems(vm.choices);
        picker.setConverter(PathNames.CONVERTER);
        picker.valueProperty().addListener((obs, old, p) -> vm.select(p));
        workbench.datasetPaths.addListener((obs, old, paths) -> {
            if (paths != null && paths.size() == 1) {
                picker.setValue(paths.get(0));
            }
        });
        split.textProperty().bind(vm.split);
        field.textProperty().bindBidirectional(vm.field);
        extensions.textProperty().bindBidirectional(vm.extensions);
        preview.setItems(vm.preview);
    }

    @FXML
    private void onOpenFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a log or text file");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Logs, text and datasets", "*.log", "*.txt", "*.out",
                        "*.jsonl", "*.json", "*.csv", "*.parquet"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File f = chooser.showOpenDialog(picker.getScene().getWindow());
        if (f != null) {
            vm.select(f.toPath());
        }
    }

    @FXML
    private void onReload() {
        vm.reload();
    }

    @FXML
    void onOpenFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a folder of logs (with train/ and heldout/ sub-folders, or any files)");
        File dir = chooser.showDialog(picker.getScene().getWindow());
        if (dir != null) {
            vm.select(dir.toPath());
        }
    }
}
