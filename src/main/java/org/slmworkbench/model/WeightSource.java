package org.slmworkbench.model;

/** Supplies a model's tensors by Hugging Face name, as weights in the model's manager (or shared with another model). */
@FunctionalInterface
public interface WeightSource {
    Weight get(String name);
}
