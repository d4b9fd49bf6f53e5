package org.slmworkbench.compress;

import java.util.Map;
import java.util.WeakHashMap;
import org.slmworkbench.TaskControl;
import org.slmworkbench.model.CausalLm;

/**
 * Calibration text for settings that need activations (Wanda), with the input norms it gives each
 * base model computed once: at 1.1B parameters that pass takes tens of seconds, and every slider
 * move to another Wanda ratio reuses it.
 */
public final class Calibration {
    private final int[] tokens;
    private final Map<CausalLm, Map<String, double[]>> norms = new WeakHashMap<>();

    /** @param tokens token ids of text like the model's data; may be null or short when no setting calibrates */
    public Calibration(int[] tokens) {
        this.tokens = tokens;
    }

    public boolean isUsable() {
        return tokens != null && tokens.length >= 2;
    }

    /** Every projection's input-feature norms on this text, by weight name; computed on first use per base. */
    synchronized Map<String, double[]> inputNorms(CausalLm base, TaskControl control) {
        if (!isUsable()) {
            throw new IllegalArgumentException("Wanda pruning needs calibration text (--calibration FILE|DIR)");
        }
        Map<String, double[]> n = norms.get(base);
        if (n == null) {
            n = WandaPruning.inputNorms(base, tokens, control);
            norms.put(base, n);
        }
        return n;
    }
}
