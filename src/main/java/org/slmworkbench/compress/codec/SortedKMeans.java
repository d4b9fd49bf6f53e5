package org.slmworkbench.compress.codec;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means on distinct values sorted ascending, each with how often it occurs (a {@link
 * Histogram}). In one dimension every cluster is a contiguous run of the sorted values, which
 * makes both phases cheap: k-means++ seeding rescans only the run that a new centre splits, and a
 * Lloyd iteration is a binary search per cluster boundary plus prefix-sum differences, never a pass
 * over the data. Counting repeated values instead of listing them changes nothing but the cost, so
 * a 16-bit tensor of millions of weights clusters as its at most 65,534 distinct values.
 */
final class SortedKMeans {
    /** Lloyd iterations do not touch the data, so a generous cap costs next to nothing. */
    static final int MAX_ITERATIONS = 1000;

    private SortedKMeans() {}

    /**
     * Ascending, distinct centroids of at most {@code k} non-empty clusters of the histogram's
     * values (non-empty, finite), each lying between the smallest and largest value of its cluster.
     * Fewer than {@code k} come back when there are fewer distinct values, or when a cluster
     * empties during refinement.
     */
    static double[] centroids(Histogram h, int k, SplittableRandom random) {
        return refine(h, seed(h, k, random));
    }

    /**
     * k-means++: the first centre is a value drawn with probability proportional to its count, each
     * next one with probability proportional to its count times its squared distance to the
     * nearest centre so far. Stops early once every value coincides with a centre.
     */
    static double[] seed(Histogram h, int k, SplittableRandom random) {
        float[] values = h.values();
        int[] centres = new int[k]; // indices into values, ascending
        double[] gapCosts = new double[k + 1]; // gap g: the values between centre g-1 and centre g
        centres[0] = h.at(random.nextInt(Math.toIntExact(h.total())));
        int count = 1;
        gapCosts[0] = Gap.of(values, centres, count, 0).cost(h);
        gapCosts[1] = Gap.of(values, centres, count, 1).cost(h);
        while (count < k) {
            double total = 0;
            for (int g = 0; g <= count; g++) {
                total += gapCosts[g];
            }
            if (total == 0) {
                break;
            }
            double target = random.nextDouble() * total;
            int gap = -1;
            for (int g = 0; g <= count; g++) {
                if (gapCosts[g] > 0) {
                    gap = g; // rounding can overshoot the last gap; then that gap is taken
                    if (target < gapCosts[g]) {
                        break;
                    }
                    target -= gapCosts[g];
                }
            }
            int chosen = Gap.of(values, centres, count, gap).pick(h, target);
            // The new centre splits gap into two gaps on either side of it.
            System.arraycopy(centres, gap, centres, gap + 1, count - gap);
            System.arraycopy(gapCosts, gap + 1, gapCosts, gap + 2, count - gap);
            centres[gap] = chosen;
            count++;
            gapCosts[gap] = Gap.of(values, centres, count, gap).cost(h);
            gapCosts[gap + 1] = Gap.of(values, centres, count, gap + 1).cost(h);
        }
        double[] out = new double[count];
        for (int c = 0; c < count; c++) {
            out[c] = values[centres[c]];
        }
        return out;
    }

    /**
     * Lloyd iterations from {@code centres} (ascending) until the cluster boundaries stop moving
     * or {@link #MAX_ITERATIONS}; returns the centroids of the non-empty clusters.
     */
    static double[] refine(Histogram h, double[] centres) {
        float[] values = h.values();
        long[] counts = h.counts();
        double[] sums = new double[values.length + 1];
        long[] weights = new long[values.length + 1];
        for (int i = 0; i < values.length; i++) {
            sums[i + 1] = sums[i] + (double) counts[i] * values[i];
            weights[i + 1] = weights[i] + counts[i];
        }
        int[] bounds = boundaries(values, centres);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            for (int c = 0; c < centres.length; c++) {
                int from = bounds[c];
                int to = bounds[c + 1];
                if (to > from) { // an emptied cluster keeps its centre, which stays in order
                    double mean = (sums[to] - sums[from]) / (weights[to] - weights[from]);
                    // Clamping undoes prefix-sum rounding: centroids stay ordered and a run of
                    // one repeated value gets that value exactly.
                    centres[c] = Math.min(Math.max(mean, values[from]), values[to - 1]);
                }
            }
            int[] moved = boundaries(values, centres);
            if (Arrays.equals(moved, bounds)) {
                break;
            }
            bounds = moved;
        }
        int nonEmpty = 0;
        for (int c = 0; c < centres.length; c++) {
            if (bounds[c + 1] > bounds[c]) {
                centres[nonEmpty++] = centres[c];
            }
        }
        return Arrays.copyOf(centres, nonEmpty);
    }

    /**
     * bounds[c] .. bounds[c+1] is the run of sorted values nearest to centre c; a value exactly
     * midway between two centres goes to the lower one.
     */
    private static int[] boundaries(float[] sorted, double[] centres) {
        int[] bounds = new int[centres.length + 1];
        for (int c = 1; c < centres.length; c++) {
            bounds[c] = firstAbove(sorted, (centres[c - 1] + centres[c]) / 2);
        }
        bounds[centres.length] = sorted.length;
        return bounds;
    }

    private static int firstAbove(float[] sorted, double threshold) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] > threshold) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /**
     * The values strictly between two neighbouring centres (indices {@code from..to} of the
     * histogram); an outer gap has an infinite centre on its open side. Cost and pick compute
     * distances identically, so a gap with positive cost always holds a value to pick.
     */
    private record Gap(int from, int to, double lower, double upper) {
        static Gap of(float[] sorted, int[] centres, int count, int g) {
            return new Gap(g == 0 ? 0 : centres[g - 1] + 1,
                    g == count ? sorted.length : centres[g],
                    g == 0 ? Double.NEGATIVE_INFINITY : sorted[centres[g - 1]],
                    g == count ? Double.POSITIVE_INFINITY : sorted[centres[g]]);
        }

        /** Count times squared distance of value {@code i} to the nearer of the two centres. */
        double distance(Histogram h, int i) {
            double below = h.values()[i] - lower;
            double above = upper - h.values()[i];
            return h.counts()[i] * Math.min(below * below, above * above);
        }

        double cost(Histogram h) {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += distance(h, i);
            }
            return sum;
        }

        /**
         * The value where the running cost first exceeds {@code target}; if rounding leaves target
         * beyond the sum, the last value with positive cost. Values equal to a centre cost zero and
         * are never picked.
         */
        int pick(Histogram h, double target) {
            int last = -1;
            for (int i = from; i < to; i++) {
                double d = distance(h, i);
                if (d > 0) {
                    last = i;
                    if (target < d) {
                        return i;
                    }
                    target -= d;
                }
            }
            return last;
        }
    }
}
