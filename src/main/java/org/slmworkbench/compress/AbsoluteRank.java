package org.slmworkbench.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The k-th smallest |w| over one tensor or many, by two passes of 65,536-bin histograms over the
 * bits of |w| (for non-negative floats the bits order as the values): linear time, no sort and no
 * copy, so a global threshold over a billion weights needs only one tensor in memory at a time.
 * Values that are all bfloat16 (their low 16 bits zero) need only the first pass. A pass may visit
 * several tensors at once on different threads: each thread counts into histograms of its own.
 */
final class AbsoluteRank {
    private static final int BINS = 1 << 16;

    private AbsoluteRank() {}

    /** The k-th smallest |w| and how many |w| are strictly smaller. */
    record Threshold(float value, long below) {}

    /**
     * Visits every tensor of a set once per call (the rank needs up to two passes), each as the
     * first {@code length} values of an array, possibly several tensors at once on different
     * threads, each thread with arrays of its own.
     */
    @FunctionalInterface
    interface Tensors {
        void forEach(Values visit);
    }

    @FunctionalInterface
    interface Values {
        void accept(String name, float[] w, int length);
    }

    /** @param k 1-based rank, at most the number of values */
    static Threshold kthSmallest(long k, Tensors tensors) {
        PerThread<Counts> first = new PerThread<>();
        tensors.forEach((name, w, length) -> first.mine(Counts::new).addHigh(w, length));
        Counts all = Counts.merged(first.all());
        long before = 0;
        int bin = 0;
        while (before + all.bins[bin] < k) {
            before += all.bins[bin++];
        }
        int top = bin;
        if (all.lowBits == 0) {
            // every value is a bfloat16 (a 16-bit model's weights): the bin is one value, no second pass
            return new Threshold(Float.intBitsToFloat(top << 16), before);
        }
        PerThread<Counts> second = new PerThread<>();
        tensors.forEach((name, w, length) -> second.mine(Counts::new).addLow(w, length, top));
        Counts low = Counts.merged(second.all());
        int sub = 0;
        while (before + low.bins[sub] < k) {
            before += low.bins[sub++];
        }
        return new Threshold(Float.intBitsToFloat(top << 16 | sub), before);
    }

    /** The same over one tensor. */
    static Threshold kthSmallest(long k, float[] w) {
        return kthSmallest(k, visit -> visit.accept("", w, w.length));
    }

    /** How many non-zero weights of each tensor have |w| equal to {@code value}, by name. */
    static Map<String, Long> countEqual(float value, Tensors tensors) {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        tensors.forEach((name, w, length) -> {
            long n = 0;
            for (int i = 0; i < length; i++) {
                n += Math.abs(w[i]) == value && w[i] != 0f ? 1 : 0;
            }
            counts.put(name, n);
        });
        return counts;
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

    /** One thread's histogram: counts by the high (or, within one high bin, the low) 16 bits of |w|. */
    private static final class Counts {
        final long[] bins = new long[BINS];
        /** The low 16 bits of every value seen, or-ed: zero when all were bfloat16. */
        int lowBits;

        void addHigh(float[] w, int length) {
            int low = 0;
            for (int i = 0; i < length; i++) {
                int bits = Float.floatToRawIntBits(w[i]);
                bins[(bits & 0x7FFFFFFF) >>> 16]++;
                low |= bits;
            }
            lowBits |= low & 0xFFFF;
        }

        void addLow(float[] w, int length, int top) {
            for (int i = 0; i < length; i++) {
                int bits = Float.floatToRawIntBits(w[i]) & 0x7FFFFFFF;
                if (bits >>> 16 == top) {
                    bins[bits & 0xFFFF]++;
                }
            }
        }

        static Counts merged(List<Counts> parts) {
            Counts all = new Counts();
            for (Counts c : parts) {
                for (int b = 0; b < BINS; b++) {
                    all.bins[b] += c.bins[b];
                }
                all.lowBits |= c.lowBits;
            }
            return all;
        }
    }

    /** One value per thread that asks, all of them listed once the pass is over. */
    private static final class PerThread<T> {
        private final Map<Thread, T> values = new ConcurrentHashMap<>();

        T mine(java.util.function.Supplier<T> make) {
            return values.computeIfAbsent(Thread.currentThread(), t -> make.get());
        }

        List<T> all() {
            return new ArrayList<>(values.values());
        }
    }
}
