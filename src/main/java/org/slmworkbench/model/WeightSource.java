package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;

/** Supplies a model's tensors by Hugging Face name, already as f32 NDArrays in the model's manager. */
@FunctionalInterface
public interface WeightSource {
    NDArray get(String name);
}
