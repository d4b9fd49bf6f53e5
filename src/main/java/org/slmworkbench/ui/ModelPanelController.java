package org.slmworkbench.ui;

import java.io.File;
import java.nio.file.Path;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.stage.DirectoryChooser;

/** Model picker: models/ and any Hugging Face-layout folder. */
public final class ModelPanelController implements Panel {
    @FXML private ComboBox<Path> picker;
    @FXML private Label info;
    @FXML private Label problem;
    @FXML private Hyperlink cardLink;
    @FXML private Button adapterButton;
    @FXML private Button clearAdapterButton;
    private ModelPanelViewModel vm;
    private WorkbenchModel workbench;

    @Override
    public void init(WorkbenchModel workbench) {
        this.workbench = workbench;
        vm = new ModelPanelViewModel(workbench);
        picker.setItems(vm.models());
        picker.setConverter(PathNames.CONVERTER);
        picker.valueProperty().addListener((obs, old, dir) -> vm.select(dir));
        workbench.model.addListener((obs, old, m) -> {
            if (m != null) {
                picker.setValue(m.dir());
            }
        });
        info.textProperty().bind(vm.info);
        problem.textProperty().bind(workbench.modelProblem);
        problem.visibleProperty().bind(workbench.modelProblem.isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        cardLink.disableProperty().bind(workbench.model.isNull());
        adapterButton.disableProperty().bind(workbench.model.isNull());
        clearAdapterButton.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> workbench.model.get() == null || workbench.model.get().adapter() == null, workbench.model));
    }

    @FXML
    void onOpenAdapter() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a LoRA adapter folder for " + workbench.model.get().name() + " (adapter_config.json, adapter_model.safetensors)");
        File dir = chooser.showDialog(picker.getScene().getWindow());
        if (dir != null) {
            vm.openAdapter(dir.toPath());
        }
    }

    @FXML
    void onClearAdapter() {
        vm.clearAdapter();
    }

    ModelPanelViewModel viewModel() {
        return vm;
    }

    @FXML
    void onOpenFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a model folder (config.json, model.safetensors, tokenizer.json)");
        File dir = chooser.showDialog(picker.getScene().getWindow());
        if (dir != null) {
            workbench.selectModel(dir.toPath());
        }
    }

    @FXML
    private void onShowCard() {
        ModelInfo m = workbench.model.get();
        TextArea text = new TextArea(m.card().isEmpty() ? "This folder has no model card (README.md)." : m.card());
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefSize(640, 420);
        Alert alert = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        alert.setTitle("Model card");
        alert.setHeaderText(m.name());
        alert.getDialogPane().setContent(text);
        alert.initOwner(picker.getScene().getWindow());
        alert.show();
    }
}
