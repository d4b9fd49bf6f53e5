package org.slmworkbench.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;
import org.slmworkbench.checkpoint.ModelExport;

/** The Export… dialog: the current setting written as a model folder, hf or compact. */
public final class ExportDialog {
    @FXML private Label setting;
    @FXML private ChoiceBox<ModelExport.Format> format;
    @FXML private Label formatHelp;
    @FXML private TextField folder;
    @FXML private Button writeButton;
    @FXML private ProgressBar progress;
    @FXML private Button cancelButton;
    @FXML private Label result;
    private ExportViewModel vm;

    static ExportViewModel show(WorkbenchModel workbench, Window owner) {
        FXMLLoader loader = new FXMLLoader(ExportDialog.class.getResource("/fxml/export-dialog.fxml"));
        Parent content;
        try {
            content = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExportDialog controller = loader.getController();
        controller.bind(new ExportViewModel(workbench));
        Dialog<Void> dialog = new Dialog<>();
        dialog.setTitle("Export model");
        dialog.initOwner(owner);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        dialog.show();
        return controller.vm;
    }

    private void bind(ExportViewModel vm) {
        this.vm = vm;
        setting.setText(vm.setting());
        format.getItems().setAll(ModelExport.Format.values());
        format.valueProperty().bindBidirectional(vm.format);
        formatHelp.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> switch (vm.format.get()) {
            case HF -> "dense model.safetensors, loadable by any Llama runtime";
            case COMPACT -> "sparse bitmaps and bit-packed clusters: the small file";
            case GGUF -> "a GGUF file at the model's precision, with a Modelfile: for llama.cpp and Ollama";
        }, vm.format));
        folder.textProperty().bindBidirectional(vm.folder);
        result.textProperty().bind(vm.result);
        progress.visibleProperty().bind(vm.running);
        progress.progressProperty().bind(vm.progress);
        writeButton.disableProperty().bind(vm.running);
        cancelButton.visibleProperty().bind(vm.running);
    }

    @FXML
    private void onBrowse() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Folder to create the model in");
        File parent = chooser.showDialog(folder.getScene().getWindow());
        if (parent != null) {
            vm.folder.set(new File(parent, new File(vm.folder.get()).getName()).getPath());
        }
    }

    @FXML
    private void onExport() {
        vm.export();
    }

    @FXML
    private void onCancel() {
        vm.cancel();
    }
}
