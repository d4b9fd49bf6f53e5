package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Short tensor kernels shared by the architectures. Each takes the activation first: DJL puts an
 * op's result in its first operand's manager, so activations stay in the per-step manager and
 * never pile up in the model's.
 */
public final class Ops {
    /** Large enough that exp underflows to exactly zero, small enough that no sum overflows. */
    private static final float MASKED = -1e9f;
    /** Values of a 16-bit matrix widened at a time for a multi-token product: at most 32 MB of f32. */
    static final long WIDEN_CHUNK = 1 << 23;

    private Ops() {}

    /**
     * {@code x · wᵀ (+ b)}: a single row against a large weight goes to {@link MatVec}; otherwise one
     * fused PyTorch call, for a 16-bit weight on a few rows at a time widened to f32, so a
     * multi-token pass never holds a second full-precision copy of the model. A weight with a
     * {@link LowRankAdapter} adds its update.
     *
     * @param b bias or null
     */
    public static NDArray linear(NDArray x, Weight w, NDArray b) {
        NDArray y = frozenLinear(x, w, b);
        return w.adapter() == null ? y : y.add(w.adapter().delta(x));
    }

    private static NDArray frozenLinear(NDArray x, Weight w, NDArray b) {
        NDArray row = MatVec.linearOrNull(x, w);
        if (row != null) {
            return b == null ? row : row.add(b);
        }
        if (!w.precision().needsWidening()) {
            return torchLinear(x, w.storage(), b);
        }
        long rows = w.shape().get(0);
        long chunk = Math.max(1, WIDEN_CHUNK / w.shape().get(1));
        // under autograd the product keeps its weight for backward, so each chunk needs its own
        // memory: the thread's open arena's if any (RecomputedBackward, one block at a time), else new.
        // Grad mode, not x.hasGradient(): DJL answers false for an intermediate that does require one
        boolean keep = JniUtils.isGradMode();
        WidenArena arena = keep ? WidenArena.current() : null;
        NDList parts = new NDList();
        for (long from = 0; from < rows; from += chunk) {
            long to = Math.min(rows, from + chunk);
            if (keep) {
                NDArray widened = arena != null ? arena.rows(w, from, to, x.getManager()) : w.widenRows(x.getManager(), from, to);
                parts.add(torchLinear(x, widened, null));
                continue;
            }
            try (NDArray widened = WidenScratch.rows(w, from, to, x.getManager())) {
                parts.add(torchLinear(x, widened, null));
            }
        }
        NDArray y = parts.size() == 1 ? parts.head() : NDArrays.concat(parts, -1);
        return b == null ? y : y.add(b);
    }

    public static NDArray linear(NDArray x, Weight w) {
        return linear(x, w, null);
    }

    private static NDArray torchLinear(NDArray x, NDArray w, NDArray b) {
        return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
    }

    /** Rows of {@code table} for token ids (B, T): (B, T, hidden) in f32 whatever the table's precision. */
    public static NDArray embedding(NDArray ids, Weight table) {
        if (!table.precision().needsWidening()) {
            return ids.getNDArrayInternal().embedding(ids, table.storage(), SparseFormat.DENSE).singletonOrThrow();
        }
        long[] shape = ids.getShape().getShape();
        return table.gatherRows(ids.getManager(), ids.toLongArray()).reshape(shape[0], shape[1], table.shape().get(1));
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
