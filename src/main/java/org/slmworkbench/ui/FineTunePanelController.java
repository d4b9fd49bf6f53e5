package org.slmworkbench.ui;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import org.slmworkbench.ui.charts.LossChart;

/** The background fine-tune: settings, progress with ETA, live losses, pause, resume and cancel. */
public final class FineTunePanelController implements Panel {
    @FXML private Label source;
    @FXML private Spinner<Integer> steps;
    @FXML private TextField learningRate;
    @FXML private Slider threads;
    @FXML private Label threadsLabel;
    @FXML private TextField outName;
    @FXML private CheckBox trainExits;
    @FXML private CheckBox lora;
    @FXML private Spinner<Integer> loraRank;
    @FXML private Label memoryNeed;
    @FXML private Button startFineTuneButton;
    @FXML private Button pauseFineTuneButton;
    @FXML private Button cancelFineTuneButton;
    @FXML private ProgressBar progress;
    @FXML private Label progressLabel;
    @FXML private Hyperlink openAdapterLink;
    @FXML private TextArea log;
    @FXML private StackPane chartBox;
    final LossChart losses = new LossChart();
    private FineTuneViewModel vm;

    @Override
    public void init(WorkbenchModel workbench) {
        vm = new FineTuneViewModel(workbench);
        chartBox.getChildren().setAll(losses);
        source.textProperty().bind(Bindings.createStringBinding(vm::source, workbench.model, workbench.datasetPaths, workbench.config));
        steps.getValueFactory().setValue(vm.steps.get());
        steps.getValueFactory().valueProperty().addListener((obs, old, v) -> vm.steps.set(v));
        learningRate.textProperty().bindBidirectional(vm.learningRate);
        threads.setMax(Runtime.getRuntime().availableProcessors());
        threads.valueProperty().bindBidirectional(vm.threads);
        threadsLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.threads.get() + " of "
                + Runtime.getRuntime().availableProcessors(), vm.threads));
        outName.textProperty().bindBidirectional(vm.outName);
        trainExits.selectedProperty().bindBidirectional(vm.trainExits);
        lora.selectedProperty().bindBidirectional(vm.lora);
        loraRank.getValueFactory().setValue(vm.loraRank.get());
        loraRank.getValueFactory().valueProperty().addListener((obs, old, v) -> vm.loraRank.set(v));
        loraRank.disableProperty().bind(vm.lora.not());
        memoryNeed.textProperty().bind(vm.memoryNeed);
        startFineTuneButton.disableProperty().bind(vm.running.or(workbench.model.isNull()).or(workbench.datasetPaths.isNull()));
        pauseFineTuneButton.disableProperty().bind(vm.running.not());
        pauseFineTuneButton.textProperty().bind(Bindings.when(vm.paused).then("Resume").otherwise("Pause"));
        cancelFineTuneButton.disableProperty().bind(vm.running.not());
        progress.progressProperty().bind(vm.progress);
        progressLabel.textProperty().bind(vm.progressText);
        // a LoRA run leaves an adapter (a checkpoint's, or beside the merged model): offered over the base it trained on
        openAdapterLink.visibleProperty().bind(vm.leftAdapter.isNotNull());
        openAdapterLink.managedProperty().bind(openAdapterLink.visibleProperty());
        openAdapterLink.disableProperty().bind(vm.running);
        log.textProperty().bind(vm.log);
        vm.onStart = losses::clear;
        vm.onProgress = p -> {
            losses.addTrain(p.step(), p.loss());
            if (p.hasHeldoutLoss()) {
                losses.addHeldout(p.step(), p.heldoutLoss());
            }
        };
    }

    Spinner<Integer> stepsSpinner() {
        return steps;
    }

    FineTuneViewModel viewModel() {
        return vm;
    }

    @FXML
    private void onStart() {
        vm.start();
    }

    @FXML
    private void onPause() {
        vm.pauseOrResume();
    }

    @FXML
    private void onOpenAdapter() {
        vm.openLeftAdapter();
    }

    @FXML
    private void onCancel() {
        vm.cancel();
    }
}
