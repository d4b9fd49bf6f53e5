package org.slmworkbench.train;

import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.ModelConfig;

/**
 * The floating-point operations of a LoRA training step per token, counted from the model's
 * shapes: each frozen block matrix multiplies forward, again when its block is recomputed for
 * backward, and once more backward to its input (never to the frozen weight); the head forward
 * and backward; attention's two products per layer the same way. The adapters' own products,
 * about 1% at rank 16, are left out, so the figure errs low.
 */
final class LoraArithmetic {
    private LoraArithmetic() {}

    static double flopsPerToken(CausalLm model, int context, boolean recompute) {
        ModelConfig c = model.config();
        long blockMatrices = c.projections().stream().mapToLong(name -> model.weights().get(name).shape().size()).sum();
        long hidden = c.residualWidth();
        // per layer and token: scores against `context` keys and the weighted sum of as many values
        long attention = 4L * context * c.heads() * c.headDim() * model.numLayers();
        double passes = recompute ? 3 : 2;
        return passes * (2.0 * blockMatrices + attention) + 2 * 2.0 * model.vocabSize() * hidden;
    }
}
