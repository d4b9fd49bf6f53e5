package org.slmworkbench.checkpoint.gguf;

import java.util.Map;
import java.util.Optional;
import org.slmworkbench.io.GgufValue;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.ModelConfig;
import org.slmworkbench.model.gpt2.GptConfig;

/** One of our families as the llama.cpp architecture that computes the same: its name, hyperparameters, tensor names and values. */
interface GgufArch {
    /** {@code general.architecture}. */
    String name();

    /** The architecture's hyperparameter keys, prefixed with its name. */
    Map<String, GgufValue> hyperparameters();

    /** llama.cpp's name for the model's tensor {@code hfName}. */
    String tensorName(String hfName);

    /** The values llama.cpp expects for tensor {@code hfName}, given the model's (rows (out, in), row-major). */
    default float[] values(String hfName, float[] modelValues) {
        return modelValues;
    }

    /**
     * The model tensor that llama.cpp needs a second time as {@code output.weight}, because the head is tied to it and
     * this architecture does not fall back to the embedding; empty if it needs none.
     */
    default Optional<String> tiedHead() {
        return Optional.empty();
    }

    /** The architecture for {@code c}; IllegalArgumentException, with the reason, if llama.cpp has none that computes the same. */
    static GgufArch of(ModelConfig c) {
        if (c instanceof LlamaConfig l) {
            return new LlamaGguf(l);
        }
        if (c instanceof GptConfig g) {
            return new GptGguf(g);
        }
        throw new IllegalArgumentException(c.architecture() + " has no GGUF export");
    }
}
