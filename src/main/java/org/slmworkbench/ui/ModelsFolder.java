package org.slmworkbench.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.io.AtomicFiles;

/** The model folders a picker offers: sub-folders of models/ that hold a config.json. */
final class ModelsFolder {
    private ModelsFolder() {}

    static List<Path> list(Path models) {
        if (!Files.isDirectory(models)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(models)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(ModelDirectory.CONFIG)))
                    .filter(p -> !AtomicFiles.isStagingName(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
