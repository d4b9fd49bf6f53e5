package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;

/** Sees the input of every projection during a calibration pass (Wanda needs their norms). */
@FunctionalInterface
public interface InputRecorder {
    /** @param input the activation (B, T, features) about to be multiplied by {@code weight} */
    void record(Weight weight, NDArray input);
}
