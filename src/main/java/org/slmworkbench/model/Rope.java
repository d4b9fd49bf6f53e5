package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

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
    /** Per pair of dimensions, the angle per position. */
    private final double[] frequencies;
    /** 1/sqrt(head_dim), carried by the query's tables. */
    private final float scale;

    Rope(NDManager manager, int headDim, int maxPositions, double theta) {
        int half = headDim / 2;
        frequencies = new double[half];
        for (int i = 0; i < half; i++) {
            frequencies[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        scale = (float) (1.0 / Math.sqrt(headDim));
        float[] c = new float[maxPositions * headDim];
        float[] s = new float[maxPositions * headDim];
        for (int pos = 0; pos < maxPositions; pos++) {
            angles(pos, c, s, pos * headDim);
        }
        Shape shape = new Shape(maxPositions, 1, headDim);
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

    /** Position pos's cos and sin, as the tables hold them: headDim values each from {@code at}, the first half repeated. */
    private void angles(int pos, float[] c, float[] s, int at) {
        int half = frequencies.length;
        for (int i = 0; i < half; i++) {
            double angle = pos * frequencies[i];
            c[at + i] = c[at + i + half] = (float) Math.cos(angle);
            s[at + i] = s[at + i + half] = (float) Math.sin(angle);
        }
    }

    /**
     * Rotates the heads of a single token at {@code pos} in place, as {@link #apply} does: {@code x}
     * holds {@code heads} vectors of headDim floats from its start; a query's come out
     * scaled by 1/sqrt(headDim) as well. {@code c} and {@code s} are scratch of headDim floats.
     */
    void applyInPlace(FloatBuffer x, int heads, int pos, boolean scaleForQuery, float[] c, float[] s) {
        int headDim = 2 * frequencies.length;
        int half = frequencies.length;
        angles(pos, c, s, 0);
        if (scaleForQuery) {
            for (int i = 0; i < headDim; i++) {
                c[i] *= scale;
                s[i] *= scale;
            }
        }
        for (int h = 0; h < heads; h++) {
            int b = h * headDim;
            for (int j = 0; j < half; j++) {
                float lo = x.get(b + j);
                float hi = x.get(b + j + half);
                x.put(b + j, lo * c[j] + -hi * s[j]);
                x.put(b + j + half, hi * c[j + half] + lo * s[j + half]);
            }
        }
    }

    private static float[] scaled(float[] a, float k) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * k;
        }
        return r;
    }
}
