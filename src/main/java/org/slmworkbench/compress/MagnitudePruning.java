package org.slmworkbench.compress;

import java.util.Arrays;
import java.util.Map;

/**
 * Unstructured magnitude pruning: the fraction {@code ratio} of weights with the smallest |w| is
 * set to zero, per tensor or over all tensors at once. Ties at the threshold are cut in index
 * order, so exactly floor(ratio · n) weights go and the result is deterministic.
 */
final class MagnitudePruning {
    private MagnitudePruning() {}

    /** Prunes each tensor of {@code weights} in place to its own threshold. */
    static void perTensor(Map<String, float[]> weights, double ratio) {
        for (float[] w : weights.values()) {
            int k = count(ratio, w.length);
            if (k > 0) {
                float[] abs = absolute(w);
                Arrays.sort(abs);
                zeroBelow(w, abs[k - 1], new int[] {k});
            }
        }
    }

    /** Prunes all tensors of {@code weights} in place to one shared threshold. */
    static void global(Map<String, float[]> weights, double ratio) {
        int total = weights.values().stream().mapToInt(w -> w.length).sum();
        int k = count(ratio, total);
        if (k == 0) {
            return;
        }
        float[] abs = new float[total];
        int at = 0;
        for (float[] w : weights.values()) {
            for (float x : w) {
                abs[at++] = Math.abs(x);
            }
        }
        Arrays.sort(abs);
        float threshold = abs[k - 1];
        int[] budget = {k};
        // strictly smaller first everywhere, then ties in tensor and index order
        for (float[] w : weights.values()) {
            budget[0] -= zeroStrictlyBelow(w, threshold);
        }
        for (float[] w : weights.values()) {
            zeroTies(w, threshold, budget);
        }
    }

    /** floor(ratio · n), immune to 0.29 · 100 = 28.999…: the ratio comes from a slider, not a computation. */
    static int count(double ratio, int n) {
        return (int) Math.floor(ratio * n + 1e-9);
    }

    private static void zeroBelow(float[] w, float threshold, int[] budget) {
        budget[0] -= zeroStrictlyBelow(w, threshold);
        zeroTies(w, threshold, budget);
    }

    private static int zeroStrictlyBelow(float[] w, float threshold) {
        int n = 0;
        for (int i = 0; i < w.length; i++) {
            if (Math.abs(w[i]) < threshold) {
                w[i] = 0f;
                n++;
            }
        }
        return n;
    }

    private static void zeroTies(float[] w, float threshold, int[] budget) {
        for (int i = 0; i < w.length && budget[0] > 0; i++) {
            if (w[i] != 0f && Math.abs(w[i]) == threshold) {
                w[i] = 0f;
                budget[0]--;
            }
        }
    }

    private static float[] absolute(float[] w) {
        float[] a = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            a[i] = Math.abs(w[i]);
        }
        return a;
    }
}
