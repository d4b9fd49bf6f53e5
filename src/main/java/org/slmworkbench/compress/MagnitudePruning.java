package org.slmworkbench.compress;

/**
 * Unstructured magnitude pruning: the fraction {@code ratio} of weights with the smallest |w| is
 * set to zero, per tensor or over all tensors at once. Ties at the threshold are cut in index
 * order (and tensor order, globally), so exactly floor(ratio · n) weights go and the result is
 * deterministic.
 */
final class MagnitudePruning {
    private MagnitudePruning() {}

    /** Prunes one tensor in place to its own threshold. */
    static void perTensor(float[] w, double ratio) {
        long k = count(ratio, w.length);
        if (k > 0) {
            AbsoluteRank.Threshold t = AbsoluteRank.kthSmallest(k, w);
            AbsoluteRank.zeroSmallest(w, t.value(), new long[] {k - t.below()});
        }
    }

    /**
     * One threshold for all tensors at once. The returned pruner is then applied to every tensor in
     * the same order as {@code tensors} visits them, so ties go in tensor and index order.
     */
    static Global global(AbsoluteRank.Tensors tensors, long total, double ratio) {
        long k = count(ratio, total);
        if (k == 0) {
            return new Global(-1f, new long[] {0});
        }
        AbsoluteRank.Threshold t = AbsoluteRank.kthSmallest(k, tensors);
        return new Global(t.value(), new long[] {k - t.below()});
    }

    /** A global threshold and what is left of its tie budget. */
    record Global(float threshold, long[] ties) {
        void prune(float[] w) {
            AbsoluteRank.zeroSmallest(w, threshold, ties);
        }
    }

    /** floor(ratio · n), immune to 0.29 · 100 = 28.999…: the ratio comes from a slider, not a computation. */
    static long count(double ratio, long n) {
        return (long) Math.floor(ratio * n + 1e-9);
    }
}
