package org.slmworkbench.model;

import java.util.List;

/**
 * Matrices that read the same input, and the norm whose weight makes it (its output is the input,
 * element for element). Scaling the matrices' input channels by s and dividing the norm's weight
 * by s leaves the model's function as it was: the freedom activation-aware quantization uses.
 *
 * @param source the 1-D norm weight that is divided
 * @param matrices the matrices whose columns are scaled
 */
public record InputScaling(String source, List<String> matrices) {}
