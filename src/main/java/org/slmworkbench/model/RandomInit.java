package org.slmworkbench.model;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random initialisation drawn in Java, so the same seed gives the same model on every
 * machine and engine: matrices N(0, 0.02), residual output projections scaled by 1/sqrt(2L)
 * (GPT-2's scheme), norm weights at one, biases at zero. Values are made per tensor on demand, so a large model can be
 * written to disk one tensor at a time.
 */
public final class RandomInit {
    private static final double STD = 0.02;

    private final Map<String, Shape> shapes;
    private final double residualScale;
    private final long seed;

    public RandomInit(Map<String, Shape> shapes, int layers, long seed) {
        this.shapes = shapes;
        this.residualScale = 1.0 / Math.sqrt(2.0 * layers);
        this.seed = seed;
    }

    public float[] values(String name) {
        Shape shape = shapes.get(name);
        float[] data = new float[Math.toIntExact(shape.size())];
        if (shape.dimension() == 1) {
            Arrays.fill(data, name.endsWith(".bias") ? 0f : 1f);
            return data;
        }
        // each tensor draws from its own stream so adding a tensor does not reshuffle the others
        SplittableRandom r = new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
        boolean residual = name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight") || name.endsWith("c_proj.weight");
        double std = residual ? STD * residualScale : STD;
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (r.nextGaussian() * std);
        }
        return data;
    }
}
