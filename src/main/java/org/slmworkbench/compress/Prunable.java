package org.slmworkbench.compress;

/**
 * Which tensors compression touches: the projection matrices of the decoder blocks. Embeddings,
 * the output head and norms stay dense — they are small here and every token depends on them.
 */
final class Prunable {
    private Prunable() {}

    static boolean isProjection(String name) {
        return name.startsWith("model.layers.") && name.endsWith("_proj.weight");
    }
}
