package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Short tensor kernels shared by the architectures. Each takes the activation first: DJL puts an
 * op's result in its first operand's manager, so activations stay in the per-step manager and
 * never pile up in the model's.
 */
public final class Ops {
    private Ops() {}

    /** {@code x · wᵀ}, one fused call. */
    public static NDArray linear(NDArray x, NDArray w) {
        return x.getNDArrayInternal().linear(x, w, null).singletonOrThrow();
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
}
