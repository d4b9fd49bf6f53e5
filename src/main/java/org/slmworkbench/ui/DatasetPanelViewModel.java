package org.slmworkbench.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The dataset picker's state: the sample logs as a whole and per format, and the chosen data's split. */
final class DatasetPanelViewModel {
    private final WorkbenchModel workbench;
    final ObservableList<Path> choices = FXCollections.observableArrayList();
    final ObservableList<String> preview = FXCollections.observableArrayList();
    final StringBinding split;

    DatasetPanelViewModel(WorkbenchModel workbench) {
        this.workbench = workbench;
        choices.setAll(sampleChoices(workbench.samplesFolder));
        split = Bindings.createStringBinding(() -> describe(workbench.dataset.get()), workbench.dataset);
        workbench.dataset.addListener((obs, old, d) -> preview.setAll(d == null ? List.of() : d.preview()));
    }

    void select(Path path) {
        List<Path> now = workbench.datasetPaths.get();
        if (path != null && (now == null || !now.equals(List.of(path)))) {
            if (!choices.contains(path)) {
                choices.add(path);
            }
            workbench.selectDataset(List.of(path));
        }
    }

    /** The sample-logs folder (already split, labelled) and each of its training files alone. */
    static List<Path> sampleChoices(Path samples) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(samples)) {
            return out;
        }
        out.add(samples);
        try (Stream<Path> files = Files.list(samples.resolve("train"))) {
            files.filter(p -> p.toString().endsWith(".log")).sorted().forEach(out::add);
        } catch (IOException e) {
            // no train/ folder: the folder alone is offered
        }
        return out;
    }

    static String describe(DatasetInfo d) {
        if (d == null) {
            return "No dataset loaded";
        }
        return String.format(Locale.ROOT, "training: %d file(s), %,d characters · held out: %d file(s), %,d characters%s",
                d.trainFiles(), d.trainChars(), d.heldoutFiles(), d.heldoutChars(), d.labelled() ? " · anomaly labels" : "");
    }
}
