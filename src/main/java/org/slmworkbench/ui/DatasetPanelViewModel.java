package org.slmworkbench.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slmworkbench.BadInputException;
import org.slmworkbench.data.DataOptions;

/** The dataset picker's state: the sample logs as a whole and per format, and the chosen data's split. */
final class DatasetPanelViewModel {
    private final WorkbenchModel workbench;
    final ObservableList<Path> choices = FXCollections.observableArrayList();
    final ObservableList<String> preview = FXCollections.observableArrayList();
    final StringBinding split;
    /** The text field (.jsonl/.json) or column (.csv/.parquet) to read; blank for "text". */
    final StringProperty field = new SimpleStringProperty("");
    /** Extensions that make a folder a source tree (e.g. "py"); blank for log folders. */
    final StringProperty extensions = new SimpleStringProperty("");

    DatasetPanelViewModel(WorkbenchModel workbench) {
        this.workbench = workbench;
        choices.setAll(sampleChoices(workbench.samplesFolder));
        split = Bindings.createStringBinding(() -> describe(workbench.dataset.get()), workbench.dataset);
        workbench.dataset.addListener((obs, old, d) -> preview.setAll(d == null ? List.of() : d.preview()));
    }

    void select(Path path) {
        if (path == null) {
            return;
        }
        DataOptions options;
        try {
            options = options();
        } catch (BadInputException e) {
            workbench.status.set(e.getMessage());
            return;
        }
        if (!List.of(path).equals(workbench.datasetPaths.get()) || !options.equals(workbench.dataOptions.get())) {
            if (!choices.contains(path)) {
                choices.add(path);
            }
            workbench.selectDataset(List.of(path), options);
        }
    }

    /** Reads the chosen data again after the field, column or extensions changed. */
    void reload() {
        List<Path> now = workbench.datasetPaths.get();
        if (now != null) {
            select(now.get(0));
        }
    }

    DataOptions options() {
        String f = field.get().strip();
        Set<String> ext = Arrays.stream(extensions.get().split("[,\\s]+")).filter(e -> !e.isBlank()).collect(Collectors.toSet());
        return new DataOptions(f.isEmpty() ? DataOptions.DEFAULT_FIELD : f, f.isEmpty() ? null : f, ext, DataOptions.DEFAULT_MAX_CHARS);
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
