package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings in Hugging Face's rotate-half convention. rotate_half(x) is written
 * as x·P with a fixed signed permutation P, so applying RoPE costs four ops instead of seven; the
 * query tables carry the 1/sqrt(head_dim) attention scale, which then costs nothing.
 */
final class Rope {
    private final NDArray cos;
    private final NDArray sin;
    private final NDArray cosScaled;
    private final NDArray sinScaled;
    private final NDArray rotateHalf;

    Rope(NDManager manager, int headDim, int maxPositions, double theta) {
        int half = headDim / 2;
        float[] c = new float[maxPositions * headDim];
        float[] s = new float[maxPositions * headDim];
        for (int pos = 0; pos < maxPositions; pos++) {
            for (int i = 0; i < half; i++) {
                double freq = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
                double angle = pos * freq;
                int base = pos * headDim;
                c[base + i] = c[base + i + half] = (float) Math.cos(angle);
                s[base + i] = s[base + i + half] = (float) Math.sin(angle);
            }
        }
        Shape shape = new Shape(maxPositions, 1, headDim);
        float scale = (float) (1.0 / Math.sqrt(headDim));
        cos = manager.create(c, shape);
        sin = manager.create(s, shape);
        cosScaled = manager.create(scaled(c, scale), shape);
        sinScaled = manager.create(scaled(s, scale), shape);
        float[] p = new float[headDim * headDim];
        for (int j = 0; j < half; j++) {
            p[(j + half) * headDim + j] = -1f; // out[j] = -x[j + half]
            p[j * headDim + j + half] = 1f; // out[j + half] = x[j]
        }
        rotateHalf = manager.create(p, new Shape(headDim, headDim));
    }

    /** Rotates x of shape (B, T, heads, headDim) whose tokens sit at positions start..start+T-1. */
    NDArray apply(NDArray x, int start, boolean scaleForQuery) {
        int t = (int) x.getShape().get(1);
        NDManager m = x.getManager();
        NDArray c = Ops.slice(scaleForQuery ? cosScaled : cos, m, "{}:{}", start, start + t);
        NDArray s = Ops.slice(scaleForQuery ? sinScaled : sin, m, "{}:{}", start, start + t);
        return x.mul(c).add(x.matMul(rotateHalf).mul(s));
    }

    private static float[] scaled(float[] a, float k) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * k;
        }
        return r;
    }
}
