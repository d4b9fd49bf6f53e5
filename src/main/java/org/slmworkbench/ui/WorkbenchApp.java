package org.slmworkbench.ui;

import java.io.IOException;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.stage.Stage;

/** The workbench window on models/ and sample-logs/ of the working folder. */
public final class WorkbenchApp extends Application {

    public static void launchWindow(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }

    @Override
    public void start(Stage stage) throws IOException {
        WorkbenchWindow.show(stage, Path.of("models"), Path.of("sample-logs"), SessionStore.defaultFile());
    }
}
