package org.slmworkbench.compress;

import java.util.function.Consumer;

/**
 * The k-th smallest |w| over one tensor or many, by two passes of 65,536-bin histograms over the
 * bits of |w| (for non-negative floats the bits order as the values): linear time, no sort and no
 * copy, so a global threshold over a billion weights needs only one tensor in memory at a time.
 */
final class AbsoluteRank {
    private static final int BINS = 1 << 16;

    private AbsoluteRank() {}

    /** The k-th smallest |w| and how many |w| are strictly smaller. */
    record Threshold(float value, long below) {}

    /** Visits every tensor of a set once per call (the rank needs two passes). */
    @FunctionalInterface
    interface Tensors {
        void forEach(Consumer<float[]> visit);
    }

    /** @param k 1-based rank, at most the number of values */
    static Threshold kthSmallest(long k, Tensors tensors) {
        long[] high = new long[BINS];
        tensors.forEach(w -> {
            for (float x : w) {
                high[(Float.floatToRawIntBits(x) & 0x7FFFFFFF) >>> 16]++;
            }
        });
        long before = 0;
        int bin = 0;
        while (before + high[bin] < k) {
            before += high[bin++];
        }
        int top = bin;
        long[] low = new long[BINS];
        tensors.forEach(w -> {
            for (float x : w) {
                int bits = Float.floatToRawIntBits(x) & 0x7FFFFFFF;
                if (bits >>> 16 == top) {
                    low[bits & 0xFFFF]++;
                }
            }
        });
        int sub = 0;
        while (before + low[sub] < k) {
            before += low[sub++];
        }
        return new Threshold(Float.intBitsToFloat(top << 16 | sub), before);
    }

    /** The same over one tensor. */
    static Threshold kthSmallest(long k, float[] w) {
        return kthSmallest(k, visit -> visit.accept(w));
    }

    /**
     * Zeroes every |w| below {@code threshold}, then weights equal to it in index order while
     * {@code ties[0]} lasts (decremented): exactly the k smallest go, ties cut deterministically.
     */
    static void zeroSmallest(float[] w, float threshold, long[] ties) {
        for (int i = 0; i < w.length; i++) {
            float a = Math.abs(w[i]);
            if (a < threshold) {
                w[i] = 0f;
            } else if (a == threshold && w[i] != 0f && ties[0] > 0) {
                w[i] = 0f;
                ties[0]--;
            }
        }
    }
}
