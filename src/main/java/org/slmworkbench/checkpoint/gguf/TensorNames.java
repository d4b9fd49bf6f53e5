package org.slmworkbench.checkpoint.gguf;

import java.util.Map;

/**
 * Hugging Face tensor names to llama.cpp's: whole-model tensors by name, and a layer's tensors
 * {@code <layersPrefix>N.<suffix>} as {@code blk.N.<llama.cpp suffix>}.
 */
record TensorNames(String layersPrefix, Map<String, String> globals, Map<String, String> perLayer) {

    String of(String hfName) {
        String global = globals.get(hfName);
        if (global != null) {
            return global;
        }
        if (hfName.startsWith(layersPrefix)) {
            int dot = hfName.indexOf('.', layersPrefix.length());
            String suffix = dot < 0 ? null : perLayer.get(hfName.substring(dot + 1));
            if (suffix != null) {
                return "blk." + hfName.substring(layersPrefix.length(), dot) + "." + suffix;
            }
        }
        throw new IllegalStateException("no llama.cpp name for tensor " + hfName);
    }
}
