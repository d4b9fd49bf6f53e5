package org.slmworkbench.compress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
     * One threshold for all tensors at once. Ties at it are cut in the order of {@code names}, then
     * in index order, whatever order the tensors are pruned in: each tensor's share of the tie
     * budget is counted in a pass of its own, so tensors may then be pruned side by side.
     */
    static Global global(List<String> names, AbsoluteRank.Tensors tensors, long total, double ratio) {
        long k = count(ratio, total);
        if (k == 0) {
            return new Global(-1f, Map.of());
        }
        AbsoluteRank.Threshold t = AbsoluteRank.kthSmallest(k, tensors);
        Map<String, Long> equal = t.value() > 0 ? AbsoluteRank.countEqual(t.value(), tensors) : Map.of();
        Map<String, Long> ties = new HashMap<>();
        long left = k - t.below();
        for (String name : names) {
            long cut = Math.min(left, equal.getOrDefault(name, 0L));
            ties.put(name, cut);
            left -= cut;
        }
        return new Global(t.value(), ties);
    }

    /** A global threshold and each tensor's share of the ties at it, by name. */
    record Global(float threshold, Map<String, Long> ties) {
        void prune(String name, float[] w) {
            AbsoluteRank.zeroSmallest(w, threshold, new long[] {ties.getOrDefault(name, 0L)});
        }
    }

    /** floor(ratio · n), immune to 0.29 · 100 = 28.999…: the ratio comes from a slider, not a computation. */
    static long count(double ratio, long n) {
        return (long) Math.floor(ratio * n + 1e-9);
    }
}
