package org.slmworkbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.stage.Stage;
import org.slmworkbench.io.AtomicFiles;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real window, opened headless on copies of shipped models in a temporary models folder with
 * the sample logs, once its first figures are in; {@link #close} cancels a fine-tune, stops the
 * engine and deletes the folder.
 */
record TestWindow(Path tmp, Path models, MainController main, WorkbenchModel wb) {

    static TestWindow open(String... shippedModels) throws Exception {
        Path tmp = Files.createTempDirectory("slm-window");
        Path models = tmp.resolve("models");
        for (String name : shippedModels) {
            copyFolder(Path.of("models", name), models.resolve(name));
        }
        Stage stage = FxToolkit.registerPrimaryStage();
        AtomicReference<MainController> ref = new AtomicReference<>();
        FxToolkit.setupFixture(() -> {
            try {
                ref.set(WorkbenchWindow.show(stage, models, Path.of("sample-logs"), tmp.resolve("session.properties")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        WorkbenchModel wb = ref.get().workbench();
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> wb.upToDate.get() && wb.currentResult.get() != null);
        return new TestWindow(tmp, models, ref.get(), wb);
    }

    void close() throws Exception {
        FxToolkit.setupFixture(() -> {
            main.fineTune().viewModel().cancel();
            wb.shutdown();
        });
        FxToolkit.cleanupStages();
        AtomicFiles.deleteTree(tmp);
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
