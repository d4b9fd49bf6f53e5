package org.slmworkbench.ui;

import java.nio.file.Path;

/** What the model picker shows about a loaded model. */
record ModelInfo(Path dir, String architecture, long parameters, String dtype, long folderBytes, int layers, int context,
        String card, String bitsPerWeight) {

    String name() {
        return dir.getFileName().toString();
    }
}
