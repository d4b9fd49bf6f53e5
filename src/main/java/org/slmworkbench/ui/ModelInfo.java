package org.slmworkbench.ui;

import java.nio.file.Path;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.model.ModelConfig;

/**
 * What the model picker shows about a loaded model, and what the fine-tune panel estimates its
 * memory from: the shapes, the weights' bytes as held and whether its matrices are widened for products.
 *
 * @param adapter the LoRA adapter opened over it, or null
 */
record ModelInfo(Path dir, String architecture, long parameters, String dtype, long folderBytes, int layers, int context,
        String card, String bitsPerWeight, ModelConfig shape, long weightBytes, boolean widens, Adapter adapter) {

    /**
     * An adapter folder opened over the model: merged into the base when it was trained on the
     * uncompressed base, else into the copy at the setting it was trained on.
     */
    record Adapter(Path dir, String description, CompressionConfig setting) {}

    String name() {
        return dir.getFileName().toString();
    }
}
