package org.slmworkbench.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;

/**
 * What every architecture's decoder block shares: weights registered under their Hugging Face
 * names in the model's registry, and an output shaped like the input.
 */
public abstract class DecoderBlock extends AbstractBlock {

    protected final Weight register(String name, AbstractCausalLm.Registry registry, WeightSource weights) {
        return registry.register(this::addParameter, name, weights);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
