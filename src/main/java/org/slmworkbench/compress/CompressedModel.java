package org.slmworkbench.compress;

import org.slmworkbench.model.CausalLm;

/**
 * A compressed copy of a model, the setting that made it and how long that took. Closing it frees
 * the copy only; the base model is untouched.
 */
public record CompressedModel(CausalLm model, CompressionConfig config, long compressMillis) implements AutoCloseable {
    @Override
    public void close() {
        model.close();
    }
}
