package org.slmworkbench.ui;

import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.BorderPane;

/** The window's frame: menus, status bar and the panels, which it hands the shared session. */
public final class MainController {
    @FXML private BorderPane root;
    @FXML private CheckMenuItem presentationItem;
    @FXML private ProgressIndicator busyIndicator;
    @FXML private Label statusLabel;
    @FXML private Label memoryLabel;
    @FXML private Label fineTuneLabel;
    @FXML private javafx.scene.control.ProgressBar fineTuneBar;
    @FXML private ModelPanelController modelPanelController;
    @FXML private DatasetPanelController datasetPanelController;
    @FXML private CompressionPanelController compressionPanelController;
    @FXML private SideBySidePanelController sideBySidePanelController;
    @FXML private ChartsPanelController chartsPanelController;
    @FXML private FineTunePanelController fineTunePanelController;
    @FXML private ResultsPanelController resultsPanelController;
    @FXML private LogsPanelController logsPanelController;
    private WorkbenchModel workbench;

    void init(WorkbenchModel workbench) {
        this.workbench = workbench;
        List<Panel> panels = List.of(modelPanelController, datasetPanelController, compressionPanelController,
                sideBySidePanelController, chartsPanelController, fineTunePanelController, resultsPanelController,
                logsPanelController);
        panels.forEach(p -> p.init(workbench));
        statusLabel.textProperty().bind(workbench.status);
        // a running fine-tune stays in sight from every tab
        FineTuneViewModel fineTune = fineTunePanelController.viewModel();
        fineTuneBar.visibleProperty().bind(fineTune.running);
        fineTuneBar.managedProperty().bind(fineTune.running);
        fineTuneBar.progressProperty().bind(fineTune.progress);
        fineTuneLabel.textProperty().bind(Bindings.when(fineTune.running)
                .then(javafx.beans.binding.Bindings.concat("Fine-tune: ", fineTune.progressText)).otherwise(""));
        busyIndicator.visibleProperty().bind(workbench.busy);
        presentationItem.selectedProperty().addListener((obs, old, on) -> {
            if (on) {
                root.getStyleClass().add("presentation");
            } else {
                root.getStyleClass().remove("presentation");
            }
        });
        memoryLabel.textProperty().bind(Bindings.createStringBinding(() -> String.format(Locale.ROOT, "RSS %.0f MB", workbench.rssMb.get()),
                workbench.rssMb));
    }

    LogsPanelController logs() {
        return logsPanelController;
    }

    ModelPanelController model() {
        return modelPanelController;
    }

    SideBySidePanelController sideBySide() {
        return sideBySidePanelController;
    }

    CompressionPanelController compression() {
        return compressionPanelController;
    }

    ChartsPanelController charts() {
        return chartsPanelController;
    }

    FineTunePanelController fineTune() {
        return fineTunePanelController;
    }

    @FXML
    private void onOpenModel() {
        modelPanelController.onOpenFolder();
    }

    @FXML
    private void onOpenDataset() {
        datasetPanelController.onOpenFolder();
    }

    @FXML
    private void onExport() {
        compressionPanelController.onExport();
    }

    @FXML
    private void onQuit() {
        root.getScene().getWindow().fireEvent(new javafx.stage.WindowEvent(root.getScene().getWindow(),
                javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
    }

    WorkbenchModel workbench() {
        return workbench;
    }
}
