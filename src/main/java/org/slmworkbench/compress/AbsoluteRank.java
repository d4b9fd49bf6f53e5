package org.slmworkbench.compress;


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

    /**
     * Visits every tensor of a set once per call (the rank needs two passes), each as the first
     * {@code length} values of an array, so one buffer can carry every tensor in turn.
     */
    @FunctionalInterface
    interface Tensors {
        void forEach(Values visit);
    }

    @FunctionalInterface
    interface Values {
        void accept(float[] w, int length);
    }

    /** @param k 1-based rank, at most the number of values */
    static Threshold kthSmallest(long k, Tensors tensors) {
        long[] high = new long[BINS];
        tensors.forEach((w, length) -> {
            for (int i = 0; i < length; i++) {
                high[(Float.floatToRawIntBits(w[i]) & 0x7FFFFFFF) >>> 16]++;
            }
        });
        long before = 0;
        int bin = 0;
        while (before + high[bin] < k) {
            before += high[bin++];
        }
        int top = bin;
        long[] low = new long[BINS];
        tensors.forEach((w, length) -> {
            for (int i = 0; i < length; i++) {
                int bits = Float.floatToRawIntBits(w[i]) & 0x7FFFFFFF;
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
        return kthSmallest(k, visit -> visit.accept(w, w.length));
    }

    /**
     * Zeroes every |w| below {@code threshold}, then weights equal to it in index order while
     * {@code ties[0]} lasts (decremented): exactly the k smallest go, ties cut deterministically.
     */
    static void zeroSmallest(float[] w, float threshold, long[] ties) {
        // two passes: a mask in integer arithmetic (on random weights a branch mispredicts half the
        // time; for non-negative floats the bits order as the values), then the ties in index order,
        // only while some are left to cut
        int t = Float.floatToRawIntBits(threshold);
        for (int i = 0; i < w.length; i++) {
            int bits = Float.floatToRawIntBits(w[i]);
            int below = ((bits & 0x7FFFFFFF) - t) >> 31; // -1 when |w| < threshold, else 0
            w[i] = Float.intBitsToFloat(bits & ~below);
        }
        for (int i = 0; i < w.length && ties[0] > 0; i++) {
            if (Math.abs(w[i]) == threshold && w[i] != 0f) {
                w[i] = 0f;
                ties[0]--;
            }
        }
    }
}
