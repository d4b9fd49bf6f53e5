package org.slmworkbench.ui;

import java.nio.file.Path;
import org.slmworkbench.model.ModelConfig;

/**
 * What the model picker shows about a loaded model, and what the fine-tune panel estimates its
 * memory from: the shapes, the weights' bytes as held and whether its matrices are widened for products.
 */
record ModelInfo(Path dir, String architecture, long parameters, String dtype, long folderBytes, int layers, int context,
        String card, String bitsPerWeight, ModelConfig shape, long weightBytes, boolean widens) {

    String name() {
        return dir.getFileName().toString();
    }
}
