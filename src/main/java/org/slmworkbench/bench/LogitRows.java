package org.slmworkbench.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.slmworkbench.NativeHeap;
import org.slmworkbench.model.MatVec;
import org.slmworkbench.train.Losses;

/**
 * Per-position figures of a pass's logits computed a slab of rows at a time. Log-probabilities,
 * their exponentials and their products are each as large as the logits (100 MB for 512 positions
 * of a 49,152-token vocabulary); made for the whole batch at once, five of them stood beside the
 * logits of two models and grew a 1.8 GB bench process by 1.2 GB. A slab's temporaries are freed
 * before the next slab is cut.
 */
public final class LogitRows {
    /** Floats per slab of one tensor (16 MB). */
    static final long SLAB_FLOATS = 4L << 20;

    private LogitRows() {}

    /** Each position's negative log-likelihood of its target, entropy of its prediction and top-1 token. */
    public record Stats(float[] nll, float[] entropy, long[] argmax) {}

    /**
     * {@link Stats} of logits (…, V) against targets of the same leading shape, by PyTorch's
     * log-softmax, exponential and arg-max: the evaluator's perplexity and the held-out windows'
     * agree to the last bit through these ops.
     */
    public static Stats stats(NDArray logits, NDArray targets) {
        NDArray rows = Losses.rows(logits);
        int n = (int) rows.getShape().get(0);
        Stats out = new Stats(new float[n], new float[n], new long[n]);
        bySlabs((first, s) -> {
            NDArray logProbs = Losses.logProbs(s[0]);
            float[] nll = Losses.nll(logProbs, s[1]).toFloatArray();
            System.arraycopy(nll, 0, out.nll(), first, nll.length);
            System.arraycopy(Losses.entropy(logProbs).toFloatArray(), 0, out.entropy(), first, nll.length);
            System.arraycopy(s[0].argMax(1).toLongArray(), 0, out.argmax(), first, nll.length);
        }, rows, targets.reshape(-1, 1));
        return out;
    }

    /**
     * {@link #stats}' figures to float rounding, f32 logits through {@link RowStatsKernel} when the
     * vector API is there: for the log scorer, where the six ops over every row were a sixth of
     * its time and no figure has to match the evaluator's bit for bit.
     */
    public static Stats rowStats(NDArray logits, NDArray targets) {
        NDArray rows = Losses.rows(logits);
        if (!MatVec.available() || rows.getDataType() != DataType.FLOAT32) {
            return stats(logits, targets);
        }
        int n = (int) rows.getShape().get(0);
        Stats out = new Stats(new float[n], new float[n], new long[n]);
        long[] y = targets.toLongArray();
        int width = (int) rows.getShape().get(1);
        bySlabs((first, s) -> RowStatsKernel.rows(s[0].toFloatArray(), width, y, first, out), rows);
        return out;
    }

    /** What is done with one slab: rows {@code first ..} of every tensor given, in the same order. */
    @FunctionalInterface
    interface SlabAction {
        void accept(int first, NDArray[] slabs);
    }

    /**
     * Cuts the 2-D {@code tensors} (all with the same number of rows) into slabs of rows and hands
     * each to {@code action}; whatever it computes from a slab is freed when it returns.
     */
    static void bySlabs(SlabAction action, NDArray... tensors) {
        long rows = tensors[0].getShape().get(0);
        long widest = 1;
        for (NDArray t : tensors) {
            if (t.getShape().dimension() != 2 || t.getShape().get(0) != rows) {
                throw new IllegalArgumentException("slabs need 2-D tensors of " + rows + " rows, got " + t.getShape());
            }
            widest = Math.max(widest, t.getShape().get(1));
        }
        long per = Math.max(1, SLAB_FLOATS / widest);
        // the forward pass that made rows too wide for one slab has freed large activations to the C
        // allocator's arenas: hand them to the system before the slabs' temporaries come on top of
        // them (a small pass, such as a batch of log lines scored, has little to give back)
        if (per < rows) {
            NativeHeap.release();
        }
        for (long first = 0; first < rows; first += per) {
            long end = Math.min(rows, first + per);
            try (NDManager m = tensors[0].getManager().newSubManager()) {
                NDArray[] slabs = new NDArray[tensors.length];
                for (int i = 0; i < tensors.length; i++) {
                    slabs[i] = tensors[i].get("{}:{}", first, end);
                    slabs[i].attach(m);
                }
                action.accept((int) first, slabs);
            }
        }
    }
}
