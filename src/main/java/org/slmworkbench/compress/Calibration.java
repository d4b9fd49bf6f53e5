package org.slmworkbench.compress;

import java.util.Map;
import java.util.WeakHashMap;
import org.slmworkbench.TaskControl;
import org.slmworkbench.model.CausalLm;

/**
 * Calibration text for settings that need activations (Wanda, activation-aware quantization), with the input norms it gives each
 * base model computed once: at 1.1B parameters that pass takes tens of seconds, and every slider
 * move to another Wanda ratio reuses it.
 */
public final class Calibration {
    private final int[] tokens;
    /** Per base: at TinyLlama's size the sampled vectors are about 50 MB, the norms a few hundred KB. */
    private final Map<CausalLm, WandaPruning.Inputs> inputs = new WeakHashMap<>();

    /** @param tokens token ids of text like the model's data; may be null or short when no setting calibrates */
    public Calibration(int[] tokens) {
        this.tokens = tokens;
    }

    public boolean isUsable() {
        return tokens != null && tokens.length >= 2;
    }

    /** Every projection's input-feature norms on this text, by weight name; computed on first use per base. */
    Map<String, double[]> inputNorms(CausalLm base, TaskControl control) {
        return inputs(base, control).norms();
    }

    /** Norms and sampled input vectors of every projection on this text; computed on first use per base. */
    synchronized WandaPruning.Inputs inputs(CausalLm base, TaskControl control) {
        if (!isUsable()) {
            throw new IllegalArgumentException("Wanda pruning and activation-aware quantization need calibration text (--calibration FILE|DIR)");
        }
        return inputs.computeIfAbsent(base, b -> WandaPruning.inputs(b, tokens, control));
    }
}
