package org.slmworkbench.compress;

/**
 * Which tensors pruning touches: the projection matrices of the decoder blocks. Embeddings, the
 * output head and norms are never pruned — every token depends on them (weight sharing does
 * palettize the embeddings).
 */
final class Prunable {
    private Prunable() {}

    static boolean isProjection(String name) {
        return name.startsWith("model.layers.") && name.endsWith("_proj.weight");
    }
}
