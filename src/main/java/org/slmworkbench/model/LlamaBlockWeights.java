package org.slmworkbench.model;

import java.util.List;

/** The nine tensors of one Llama block: two norms (f32 vectors) and seven projections. */
record LlamaBlockWeights(Weight inputNorm, Weight q, Weight k, Weight v, Weight o, Weight postNorm, Weight gate, Weight up, Weight down) {
    List<Weight> projections() {
        return List.of(q, k, v, o, gate, up, down);
    }
}
