package org.slmworkbench.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * What every architecture's decoder block shares: parameters registered under their Hugging Face
 * names in the model's registry, and an output shaped like the input.
 */
public abstract class DecoderBlock extends AbstractBlock {

    protected final Parameter register(String name, Map<String, Parameter> registry, WeightSource weights) {
        Parameter p = addParameter(AbstractCausalLm.newParameter(name, weights));
        registry.put(name, p);
        return p;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
