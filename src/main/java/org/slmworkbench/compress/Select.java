package org.slmworkbench.compress;

/**
 * The k-th smallest of an array in linear expected time, the array left as it is. Quickselect
 * partitions with a branch per element that a CPU mispredicts half the time on random scores; so a
 * sorted sample first brackets the rank, one branch-free pass keeps only the values inside the
 * bracket, and quickselect runs on those few (the idea of Floyd and Rivest's SELECT). Wanda spent
 * most of its time here: one selection per row, a billion weights at TinyLlama's size.
 */
final class Select {
    private static final int SAMPLE = 256;
    /** Below this, quickselect alone. */
    private static final int SMALL = 1024;

    private Select() {}

    /**
     * @param k 1-based rank in 1..a.length; {@code a} holds no NaN
     * @param scratch room for {@code a.length + 1} values, reused across calls
     */
    static float kthSmallest(float[] a, int k, float[] scratch) {
        int n = a.length;
        if (n < SMALL) {
            System.arraycopy(a, 0, scratch, 0, n);
            return quickselect(scratch, 0, n - 1, k - 1);
        }
        float[] sample = new float[SAMPLE];
        for (int i = 0; i < SAMPLE; i++) {
            sample[i] = a[(int) ((long) i * n / SAMPLE)];
        }
        java.util.Arrays.sort(sample);
        // the rank's place in the sample, widened by 3.5 standard deviations of a sample rank
        // (binomial): the bracket misses about one row in 2,000, and keeps a fifth of a row at k = n/2
        double p = (double) k / n;
        double at = p * SAMPLE;
        int spread = (int) Math.ceil(3.5 * Math.sqrt(SAMPLE * p * (1 - p))) + 1;
        float low = sample[Math.max(0, (int) at - spread)];
        float high = sample[Math.min(SAMPLE - 1, (int) at + spread)];
        float[] inside = scratch;
        int below = 0;
        int kept = 0;
        for (float x : a) {
            inside[kept] = x; // always written; the slot advances only for a value inside
            kept += (x >= low) & (x <= high) ? 1 : 0; // & not &&: one flag, no branch
            below += x < low ? 1 : 0;
        }
        if (k > below && k <= below + kept) {
            return quickselect(inside, 0, kept - 1, k - below - 1);
        }
        System.arraycopy(a, 0, scratch, 0, n); // the bracket missed (rare): the whole row
        return quickselect(scratch, 0, n - 1, k - 1);
    }

    /** The element of rank {@code target} (0-based) among {@code a[lo..hi]}. */
    private static float quickselect(float[] a, int lo, int hi, int target) {
        while (lo < hi) {
            // median of three keeps sorted and reversed rows linear
            int mid = (lo + hi) >>> 1;
            float pivot = median(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return a[target];
            }
        }
        return a[target];
    }

    private static float median(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
