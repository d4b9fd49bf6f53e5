package org.slmworkbench.ui;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/** One prompt, base and compressed output streaming side by side, the first difference marked. */
public final class SideBySidePanelController implements Panel {
    @FXML private TextArea prompt;
    @FXML private Spinner<Integer> tokens;
    @FXML private Spinner<Double> temperature;
    @FXML private Spinner<Integer> seed;
    @FXML private Button generateButton;
    @FXML private Button cancelGenerateButton;
    @FXML private TextFlow baseOutput;
    @FXML private TextFlow compressedOutput;
    @FXML private Label baseSpeed;
    @FXML private Label compressedSpeed;
    @FXML private Label divergence;
    private SideBySideViewModel vm;

    @Override
    public void init(WorkbenchModel workbench) {
        vm = new SideBySideViewModel(workbench);
        prompt.textProperty().bindBidirectional(vm.prompt);
        tokens.getValueFactory().valueProperty().addListener((obs, old, v) -> vm.tokens.set(v));
        temperature.setValueFactory(new SpinnerValueFactory.DoubleSpinnerValueFactory(0, 2, vm.temperature.get(), 0.1));
        temperature.valueProperty().addListener((obs, old, v) -> vm.temperature.set(v));
        seed.getValueFactory().valueProperty().addListener((obs, old, v) -> vm.seed.set(v));
        generateButton.disableProperty().bind(vm.running.or(workbench.upToDate.not()));
        cancelGenerateButton.disableProperty().bind(vm.running.not());
        baseSpeed.textProperty().bind(vm.baseSpeed);
        compressedSpeed.textProperty().bind(vm.compressedSpeed);
        divergence.textProperty().bind(vm.divergenceText);
        workbench.runListeners.add(() -> {
            for (TextFlow flow : new TextFlow[] {baseOutput, compressedOutput}) {
                Text p = new Text(vm.prompt.get());
                p.getStyleClass().add("prompt-text");
                flow.getChildren().setAll(p);
            }
        });
        workbench.tokenListeners.add(t -> {
            Text text = new Text(t.text());
            text.getStyleClass().add("token-text");
            (t.compressed() ? compressedOutput : baseOutput).getChildren().add(text);
        });
        vm.divergence.addListener((obs, old, index) -> {
            if (index.intValue() >= 0) {
                mark(baseOutput, index.intValue());
                mark(compressedOutput, index.intValue());
            }
        });
    }

    SideBySideViewModel viewModel() {
        return vm;
    }

    /** Node 0 is the prompt; node i + 1 is new token i. */
    private static void mark(TextFlow flow, int index) {
        if (flow.getChildren().size() > index + 1) {
            flow.getChildren().get(index + 1).getStyleClass().add("diverged");
        }
    }

    @FXML
    private void onGenerate() {
        vm.generate();
    }

    @FXML
    private void onCancel() {
        vm.cancel();
    }
}
