package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One reused f32 buffer per thread that 16-bit matrices are widened into, a few rows at a time, for
 * multi-token products. Allocating a fresh 32 MB block per chunk left the C allocator holding a
 * gigabyte of freed blocks after one prefill at 1.1B parameters; one block per thread costs 32 MB.
 */
final class WidenScratch {
    private static final ThreadLocal<NDArray> BUFFER = ThreadLocal.withInitial(
            () -> NDManager.newBaseManager().create(new Shape(Ops.WIDEN_CHUNK), DataType.FLOAT32));

    private WidenScratch() {}

    /**
     * Rows {@code from..to-1} of {@code w} widened into this thread's buffer, as a view in
     * {@code into} that is valid until the thread's next call: use it at once, then close it.
     */
    static NDArray rows(Weight w, long from, long to, NDManager into) {
        long cols = w.shape().get(1);
        NDArray buffer = BUFFER.get();
        w.widenRowsInto(from, to, buffer);
        NDArray view = buffer.get(new NDIndex("0:{}", (to - from) * cols)).reshape(to - from, cols);
        view.attach(into);
        return view;
    }
}
