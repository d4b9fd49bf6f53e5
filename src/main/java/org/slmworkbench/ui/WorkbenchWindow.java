package org.slmworkbench.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.data.DataOptions;

/**
 * Builds the window on a stage: loads the FXML, gives the panels the session, restores the last
 * session (or the first model and the sample logs), and asks before closing over a running fine-tune.
 */
final class WorkbenchWindow {
    static final String DEFAULT_MODEL = "loglm-tiny";

    private WorkbenchWindow() {}

    static MainController show(Stage stage, Path models, Path samples, Path sessionFile) throws IOException {
        FXMLLoader loader = new FXMLLoader(WorkbenchWindow.class.getResource("/fxml/main.fxml"));
        Parent root = loader.load();
        MainController main = loader.getController();
        WorkbenchModel workbench = new WorkbenchModel(models, samples);
        main.init(workbench);
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(root, Math.min(1400, screen.getWidth()), Math.min(900, screen.getHeight()));
        scene.getStylesheets().add(WorkbenchWindow.class.getResource("/styles/workbench.css").toExternalForm());
        stage.setTitle("SLM Workbench");
        stage.setScene(scene);
        SessionStore store = new SessionStore(sessionFile);
        restore(main, workbench, store.load());
        stage.setOnCloseRequest(e -> {
            e.consume();
            close(stage, main, workbench, store);
        });
        stage.show();
        return main;
    }

    private static void restore(MainController main, WorkbenchModel workbench, SessionStore.Saved saved) {
        Path model = saved != null && saved.model() != null && Files.isDirectory(Path.of(saved.model())) ? Path.of(saved.model())
                : defaultModel(workbench);
        Path data = saved != null && saved.dataset() != null && Files.exists(Path.of(saved.dataset())) ? Path.of(saved.dataset())
                : Files.isDirectory(workbench.samplesFolder) ? workbench.samplesFolder : null;
        if (saved != null && saved.prompt() != null) {
            main.sideBySide().viewModel().prompt.set(saved.prompt());
        }
        if (saved != null && saved.config() != null) {
            try {
                CompressionConfig c = CompressionConfig.parse(saved.config());
                // the sliders move once the model's layer count is known
                workbench.model.addListener(new javafx.beans.value.ChangeListener<>() {
                    @Override
                    public void changed(javafx.beans.value.ObservableValue<? extends ModelInfo> obs, ModelInfo old, ModelInfo m) {
                        workbench.model.removeListener(this);
                        if (c.exitLayer() <= m.layers()) {
                            main.compression().viewModel().show(c);
                        }
                    }
                });
            } catch (IllegalArgumentException e) {
                workbench.status.set("The saved compression setting was not usable: " + e.getMessage());
            }
        }
        // the adapter belongs to the saved model only, and a folder gone since is not an error
        Path adapter = model != null && saved != null && saved.adapter() != null && model.toString().equals(saved.model())
                && Files.isDirectory(Path.of(saved.adapter())) ? Path.of(saved.adapter()) : null;
        if (model != null) {
            workbench.selectModel(model, adapter);
        }
        if (data != null) {
            workbench.selectDataset(List.of(data), DataOptions.DEFAULTS);
        }
    }

    /** The shipped log model when it is there (the first objective is reading logs), else the first folder. */
    private static Path defaultModel(WorkbenchModel workbench) {
        return workbench.models.stream().filter(p -> p.getFileName().toString().equals(DEFAULT_MODEL)).findFirst()
                .orElse(workbench.models.isEmpty() ? null : workbench.models.get(0));
    }

    private static void close(Stage stage, MainController main, WorkbenchModel workbench, SessionStore store) {
        FineTuneViewModel fineTune = main.fineTune().viewModel();
        if (fineTune.running.get()) {
            Alert ask = new Alert(Alert.AlertType.CONFIRMATION,
                    "A fine-tune is running. Stop it and close? Checkpoints already written stay intact; nothing is left half-written.",
                    ButtonType.CANCEL, ButtonType.OK);
            ask.setHeaderText("Stop the fine-tune?");
            ask.initOwner(stage);
            if (ask.showAndWait().orElse(ButtonType.CANCEL) != ButtonType.OK) {
                return;
            }
        }
        ModelInfo m = workbench.model.get();
        List<Path> data = workbench.datasetPaths.get();
        try {
            store.save(new SessionStore.Saved(m == null ? null : m.dir().toString(),
                    m == null || m.adapter() == null ? null : m.adapter().dir().toString(), data == null ? null : data.get(0).toString(),
                    workbench.config.get().toCompactString(), main.sideBySide().viewModel().prompt.get()));
        } catch (IOException e) {
            // the session is a convenience: losing it must not block closing
        }
        fineTune.stopThen(() -> {
            workbench.shutdown();
            stage.hide();
            Platform.exit();
        });
    }
}
