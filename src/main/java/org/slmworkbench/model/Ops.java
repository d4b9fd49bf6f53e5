package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Short tensor kernels shared by the architectures. Each takes the activation first: DJL puts an
 * op's result in its first operand's manager, so activations stay in the per-step manager and
 * never pile up in the model's.
 */
public final class Ops {
    /** Large enough that exp underflows to exactly zero, small enough that no sum overflows. */
    private static final float MASKED = -1e9f;

    private Ops() {}

    /** {@code x · wᵀ}, one fused call; a single row against a large weight goes to {@link MatVec}. */
    public static NDArray linear(NDArray x, NDArray w) {
        NDArray row = MatVec.linearOrNull(x, w);
        return row != null ? row : x.getNDArrayInternal().linear(x, w, null).singletonOrThrow();
    }

    /** {@code x · wᵀ + b}, one fused call; a single row against a large weight goes to {@link MatVec}. */
    public static NDArray linear(NDArray x, NDArray w, NDArray b) {
        NDArray row = MatVec.linearOrNull(x, w);
        return row != null ? (b == null ? row : row.add(b)) : x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
    }

    public static NDArray embedding(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** RMSNorm over the last axis; {@code eps} is a 0-d array kept alive by the caller. */
    public static NDArray rmsNorm(NDArray x, NDArray weight, NDArray eps) {
        int last = x.getShape().dimension() - 1;
        NDArray meanSquare = x.square().mean(new int[] {last}, true);
        return x.div(meanSquare.add(eps).sqrt()).mul(weight);
    }

    /** LayerNorm with weight and bias over the last axis, one fused call. */
    public static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, float eps) {
        Shape last = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return x.getNDArrayInternal().layerNorm(x, last, weight, bias, eps).singletonOrThrow();
    }

    /** SwiGLU: silu(gate) * up. */
    public static NDArray swiGlu(NDArray gate, NDArray up) {
        return gate.mul(gate.getNDArrayInternal().sigmoid()).mul(up);
    }

    /** A slice of a long-lived array (a table, a cache) moved into the caller's manager. */
    public static NDArray slice(NDArray source, NDManager into, String index, Object... args) {
        NDArray view = source.get(new NDIndex(index, args));
        view.attach(into);
        return view;
    }

    /** Additive mask (T, start + T): query i may see keys up to position start + i. */
    public static NDArray causalMask(NDManager m, int start, int t) {
        int s = start + t;
        float[] mask = new float[t * s];
        for (int i = 0; i < t; i++) {
            for (int j = start + i + 1; j < s; j++) {
                mask[i * s + j] = MASKED;
            }
        }
        return m.create(mask, new Shape(t, s));
    }

    /**
     * Scaled dot-product attention of query heads over shared key/value heads (multi-head,
     * grouped-query and multi-query alike). The {@code g = heads / kvHeads} query heads of a group
     * are laid out as extra query rows, so each group is one matrix product against its key head:
     * keys and values are never repeated per query head.
     *
     * @param q queries (B, T, heads, headDim), already scaled
     * @param keys (B, kvHeads, S, headDim)
     * @param values (B, kvHeads, S, headDim)
     * @param mask additive (T, S) or null
     * @return the heads' outputs merged to (B, T, heads · headDim)
     */
    public static NDArray attention(NDArray q, NDArray keys, NDArray values, NDArray mask) {
        Shape s = q.getShape();
        long b = s.get(0);
        long t = s.get(1);
        long heads = s.get(2);
        long hd = s.get(3);
        long kv = keys.getShape().get(1);
        long g = heads / kv;
        // (B, kv, g·T, hd); with one token the transpose is a no-op, so skip it
        NDArray rows = t == 1 ? q.reshape(b, kv, g, hd) : q.reshape(b, t, kv, g, hd).transpose(0, 2, 3, 1, 4).reshape(b, kv, g * t, hd);
        NDArray scores = rows.matMul(keys.transpose(0, 1, 3, 2)); // (B, kv, g·T, S)
        if (mask != null) {
            long keysLength = keys.getShape().get(2);
            scores = scores.reshape(b, kv, g, t, keysLength).add(mask).reshape(b, kv, g * t, keysLength);
        }
        NDArray context = scores.softmax(-1).matMul(values); // (B, kv, g·T, hd)
        if (t == 1) {
            return context.reshape(b, 1, heads * hd);
        }
        return context.reshape(b, kv, g, t, hd).transpose(0, 3, 1, 2, 4).reshape(b, t, heads * hd);
    }
}
