package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/** {@link RandomInit} values as NDArrays in a model's manager. */
public final class RandomWeights implements WeightSource {
    private final NDManager manager;
    private final Map<String, Shape> shapes;
    private final RandomInit init;

    public RandomWeights(NDManager manager, Map<String, Shape> shapes, int layers, long seed) {
        this.manager = manager;
        this.shapes = shapes;
        this.init = new RandomInit(shapes, layers, seed);
    }

    @Override
    public Weight get(String name) {
        return Weight.of(manager.create(init.values(name), shapes.get(name)));
    }
}
