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

    /** Opens the chosen model again with an adapter folder over it, on the engine; a bad folder leaves the model as it was. */
    void openAdapter(Path adapter) {
        ModelInfo now = workbench.model.get();
        if (now != null && adapter != null) {
            workbench.selectModel(now.dir(), adapter);
        }
    }

    /** Opens the chosen model again without its adapter: a merged adapter cannot be taken out of the weights. */
    void clearAdapter() {
        ModelInfo now = workbench.model.get();
        if (now != null && now.adapter() != null) {
            workbench.selectModel(now.dir());
        }
    }

    static String describe(ModelInfo m) {
        if (m == null) {
            return "No model loaded";
        }
        String line = String.format(Locale.ROOT, "%s · %d layers · %,d parameters · %s · %.1f MB on disk · context %d", m.architecture(),
                m.layers(), m.parameters(), m.dtype(), m.folderBytes() / 1e6, m.context());
        ModelInfo.Adapter a = m.adapter();
        return a == null ? line : line + "\n+ adapter " + shortName(a.dir()) + ": " + a.description() + (a.setting().isNone()
                ? " (merged into the base)" : " (merged into the copy at that setting only)");
    }

    /** An adapter folder by its last two names, as finetune writes them: lora-tuned/adapter. */
    private static String shortName(Path dir) {
        Path parent = dir.getParent();
        return parent == null || parent.getFileName() == null ? dir.getFileName().toString() : parent.getFileName() + "/" + dir.getFileName();
    }
}
