package org.slmworkbench.ui;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.util.StringConverter;
import org.slmworkbench.TaskControl;
import org.slmworkbench.checkpoint.LoadedModel;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.generate.GenerationResult;
import org.slmworkbench.generate.Generator;
import org.slmworkbench.generate.SamplingConfig;
import org.slmworkbench.generate.TextStream;

/** Model picker, prompt and streaming output; all model work runs on one background thread. */
public final class WorkbenchController {
    private static final Path MODELS = Path.of("models");

    @FXML private ComboBox<Path> modelPicker;
    @FXML private Label modelInfo;
    @FXML private TextArea promptArea;
    @FXML private TextArea outputArea;
    @FXML private Button generateButton;
    @FXML private Button cancelButton;
    @FXML private Spinner<Integer> tokensSpinner;
    @FXML private Label statusLabel;

    private final ExecutorService engine = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "engine");
        t.setDaemon(true);
        return t;
    });
    private final NDManager root = NDManager.newBaseManager();
    private LoadedModel loaded;
    private EngineTask<?> running;

    @FXML
    private void initialize() {
        modelPicker.setConverter(new StringConverter<>() {
            @Override
            public String toString(Path p) {
                return p == null ? "" : p.getFileName().toString();
            }

            @Override
            public Path fromString(String s) {
                return null;
            }
        });
        modelPicker.getItems().setAll(ModelsFolder.list(MODELS));
        modelPicker.valueProperty().addListener((obs, old, dir) -> {
            if (dir != null) {
                loadModel(dir);
            }
        });
        promptArea.setText("Mar  8 01:09:28 web-01 sshd[");
        if (!modelPicker.getItems().isEmpty()) {
            modelPicker.getSelectionModel().selectFirst();
        }
    }

    private void loadModel(Path dir) {
        generateButton.setDisable(true);
        statusLabel.setText("Loading " + dir.getFileName() + "…");
        EngineTask<LoadedModel> task = new EngineTask<>() {
            @Override
            protected LoadedModel work(TaskControl control) {
                if (loaded != null) {
                    loaded.close();
                    loaded = null;
                }
                return ModelDirectory.load(dir, root);
            }
        };
        task.setOnSucceeded(e -> {
            loaded = task.getValue();
            modelInfo.setText(String.format(Locale.ROOT, "%s · %d layers · %,d parameters · context %d",
                    loaded.model().architecture(), loaded.model().numLayers(), loaded.model().parameterCount(), loaded.model().maxContext()));
            statusLabel.setText("Loaded " + dir.getFileName());
            generateButton.setDisable(false);
        });
        task.setOnFailed(e -> statusLabel.setText("Cannot load " + dir.getFileName() + ": " + task.getException().getMessage()));
        engine.submit(task);
    }

    @FXML
    private void onGenerate() {
        if (loaded == null) {
            return;
        }
        LoadedModel model = loaded;
        String prompt = promptArea.getText();
        int tokens = tokensSpinner.getValue();
        outputArea.setText(prompt);
        generateButton.setDisable(true);
        cancelButton.setDisable(false);
        EngineTask<GenerationResult> task = new EngineTask<>() {
            @Override
            protected GenerationResult work(TaskControl control) {
                int[] ids = model.tokenizer().encode(prompt.isEmpty() ? "\n" : prompt);
                TextStream stream = new TextStream(model.tokenizer());
                return new Generator(model.model(), model.eosId()).generate(ids, new SamplingConfig(tokens, 0.8, 40, 0.95, 42, true), e -> {
                    String delta = stream.push(e.tokenId());
                    if (!delta.isEmpty()) {
                        Platform.runLater(() -> outputArea.appendText(delta));
                    }
                }, control);
            }
        };
        task.setOnSucceeded(e -> finish(String.format(Locale.ROOT, "%d tokens, %.1f tokens/s (%s)", task.getValue().newIds().length,
                task.getValue().decodeTokensPerSecond(), task.getValue().stopReason().name().toLowerCase(Locale.ROOT))));
        task.setOnFailed(e -> finish("Generation failed: " + task.getException().getMessage()));
        task.setOnCancelled(e -> finish("Cancelled"));
        running = task;
        engine.submit(task);
    }

    private void finish(String status) {
        statusLabel.setText(status);
        generateButton.setDisable(false);
        cancelButton.setDisable(true);
        running = null;
    }

    @FXML
    private void onCancel() {
        if (running != null) {
            running.cancel();
        }
    }

    void shutdown() {
        if (running != null) {
            running.cancel();
        }
        engine.shutdown();
    }
}
