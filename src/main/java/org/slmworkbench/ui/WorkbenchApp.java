package org.slmworkbench.ui;

import java.io.IOException;
import javafx.application.Application;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The workbench window. */
public final class WorkbenchApp extends Application {
    private WorkbenchController controller;

    public static void launchWindow(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }

    @Override
    public void start(Stage stage) throws IOException {
        FXMLLoader loader = new FXMLLoader(WorkbenchApp.class.getResource("/fxml/workbench.fxml"));
        Parent root = loader.load();
        controller = loader.getController();
        Scene scene = new Scene(root, 1000, 700);
        scene.getStylesheets().add(WorkbenchApp.class.getResource("/styles/workbench.css").toExternalForm());
        stage.setTitle("SLM Workbench");
        stage.setScene(scene);
        stage.show();
    }

    @Override
    public void stop() {
        controller.shutdown();
    }
}
