package org.slmworkbench.ui;

import java.nio.file.Path;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.collections.ObservableList;

/** The model picker's state: the folders offered and a one-paragraph description of the loaded model. */
final class ModelPanelViewModel {
    private final WorkbenchModel workbench;
    final StringBinding info;

    ModelPanelViewModel(WorkbenchModel workbench) {
        this.workbench = workbench;
        info = Bindings.createStringBinding(() -> describe(workbench.model.get()), workbench.model);
    }

    ObservableList<Path> models() {
        return workbench.models;
    }

    void select(Path dir) {
        ModelInfo now = workbench.model.get();
        if (dir != null && (now == null || !now.dir().equals(dir))) {
            workbench.selectModel(dir);
        }
    }

    static String describe(ModelInfo m) {
        if (m == null) {
            return "No model loaded";
        }
        return String.format(Locale.ROOT, "%s · %d layers · %,d parameters · %s · %.1f MB on disk · context %d", m.architecture(),
                m.layers(), m.parameters(), m.dtype(), m.folderBytes() / 1e6, m.context());
    }
}
