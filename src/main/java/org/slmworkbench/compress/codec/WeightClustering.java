package org.slmworkbench.compress.codec;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Weight sharing (palettization) of one tensor: 1-D k-means turns it into a codebook of at most
 * {@code k} floats and one codebook index per weight, so that it can be stored as
 * {@code bitsFor(codebook.length)}-bit indices ({@link BitPacking}) plus the codebook.
 *
 * <p>Exact zeros (0.0f and -0.0f) are pruned weights and are not clustered: when the tensor has
 * any, codebook entry 0 is exactly 0.0f, every zero maps to it and no non-zero weight does, so a
 * pruned-then-shared tensor keeps its sparsity. That entry counts towards {@code k}: with zeros,
 * {@code k = 16} leaves 15 centroids for the non-zero weights, and the indices still fit in 4
 * bits.
 *
 * <p>The non-zero weights (or, past {@link #fitSize}, a sample of them) are sorted once and counted
 * as a {@link Histogram} (a 16-bit tensor can hand in the histogram of all its weights instead),
 * seeded by k-means++ from a {@link SplittableRandom} with the given seed, and refined by Lloyd
 * iterations until no assignment changes. Iterations
 * are capped at 1000, which only tensors of millions of weights at k near 256 reach; their error
 * is then within about 0.1% of the converged one. Single-threaded and free of hash ordering, so
 * a seed gives bit-identical output.
 */
public final class WeightClustering {
    public static final int MIN_CLUSTERS = 2;
    public static final int MAX_CLUSTERS = 1 << BitPacking.MAX_BITS;

    /**
     * A clustered tensor: weight {@code i} is {@code codebook[indices[i]]}.
     *
     * <p>From {@link #cluster}: the zero entry, if any, comes first, then the centroids in
     * ascending order, all distinct and each used by at least one weight. The codebook is shorter
     * than {@code k} when the tensor has fewer distinct values (then every value is represented
     * exactly) or when k-means leaves a cluster empty. An empty tensor has an empty codebook; an
     * all-zero tensor the codebook {0}.
     *
     * <p>Indices are an {@code int[]}, matching {@link BitPacking#pack}: this is the in-memory
     * form, and the packed bytes are what gets stored. The arrays are held, not copied.
     */
    public record Clustered(float[] codebook, int[] indices) {
        public Clustered {
            Objects.requireNonNull(codebook, "codebook");
            Objects.requireNonNull(indices, "indices");
        }
    }

    private WeightClustering() {}

    /**
     * Clusters {@code weights} into at most {@code k} shared values, {@code k} in 2..256 and
     * counting the zero entry. Rejects NaN and infinite weights, which have no place on a number
     * line of centroids.
     */
    public static Clustered cluster(float[] weights, int k, long seed) {
        Codebook c = codebook(weights, k, seed);
        return new Clustered(c.entries(), assign(weights, c));
    }

    /**
     * A codebook: the zero entry first when {@code zeroEntries} is 1, then the centroids in
     * ascending order. The array is held, not copied.
     */
    public record Codebook(float[] entries, int zeroEntries) {}

    /**
     * The codebook {@link #cluster} uses. Past {@link #fitSize} non-zero weights, k-means runs on
     * that many of them drawn over the whole tensor ({@link #sample}, with the seed): a tensor of
     * 65 million weights then costs one sorted sample, not a sorted copy of itself, and its
     * centroids sit where those of the whole tensor do to within the sampling noise of a quantile.
     */
    public static Codebook codebook(float[] weights, int k, long seed) {
        checkClusters(k);
        int nonZeros = countFiniteNonZero(weights);
        SplittableRandom random = new SplittableRandom(seed);
        int fitSize = fitSize(k);
        float[] fit = nonZeros <= fitSize ? SparseBitmap.nonZeros(weights, nonZeros) : sample(weights, fitSize, random);
        FloatRadixSort.sort(fit);
        return codebook(Histogram.ofSorted(fit, weights.length - nonZeros), k, random);
    }

    /**
     * The codebook of a tensor given as the histogram of all its values (finite, as {@link
     * Histogram} describes them): for a 16-bit tensor, whose at most 65,534 distinct non-zero
     * values are counted in one pass, k-means then runs on the whole tensor at the cost of a
     * sample.
     */
    public static Codebook codebook(Histogram histogram, int k, long seed) {
        checkClusters(k);
        return codebook(histogram, k, new SplittableRandom(seed));
    }

    private static Codebook codebook(Histogram h, int k, SplittableRandom random) {
        int zeroEntries = h.zeros() > 0 ? 1 : 0;
        float[] centroids = h.values().length == 0 ? new float[0] : nonZeroFloats(SortedKMeans.centroids(h, k - zeroEntries, random));
        float[] codebook = new float[zeroEntries + centroids.length];
        System.arraycopy(centroids, 0, codebook, zeroEntries, centroids.length);
        return new Codebook(codebook, zeroEntries);
    }

    private static void checkClusters(int k) {
        if (k < MIN_CLUSTERS || k > MAX_CLUSTERS) {
            throw new IllegalArgumentException("k (clusters per tensor) must be in "
                    + MIN_CLUSTERS + ".." + MAX_CLUSTERS + ", got " + k);
        }
    }

    /**
     * Replaces every non-zero weight by its nearest centroid, in place; zeros stay zero. The
     * entries must ascend (a codebook rounded to a lower precision still does, non-strictly).
     */
    public static void snap(float[] weights, Codebook codebook) {
        Midpoints m = new Midpoints(codebook);
        float[] entries = codebook.entries();
        for (int i = 0; i < weights.length; i++) {
            float w = weights[i];
            if (w != 0) {
                weights[i] = entries[m.nearest(w)];
            }
        }
    }

    /** The tensor a clustering stands for; rejects indices outside the codebook. */
    public static float[] reconstruct(Clustered clustered) {
        float[] codebook = clustered.codebook();
        int[] indices = clustered.indices();
        float[] weights = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (index < 0 || index >= codebook.length) {
                throw new IllegalArgumentException("indices[" + i + "] = " + index
                        + " is outside the codebook of " + codebook.length + " entries");
            }
            weights[i] = codebook[index];
        }
        return weights;
    }

    /**
     * Non-zero weights k-means is fitted on past this many (a sample of them): 16,384 draws per
     * cluster, from 262,144 to 1,048,576. On a 5,632 × 2,048 matrix of Gaussian weights the
     * whole tensor's squared error rose 0.3% at k = 16 from a million draws to 262,144, where the fit
     * took a quarter of the time (it was two fifths of sharing TinyLlama); at k = 256 it rose 9%, so
     * large codebooks keep the million.
     */
    static int fitSize(int k) {
        return Math.max(1 << 18, Math.min(1 << 20, k << 14));
    }

    /**
     * {@code count} non-zero weights, one drawn at random from each of {@code count} equal stretches
     * of the tensor (a zero draw moves on to the next non-zero): every row is represented, and the
     * reads go forward through memory instead of jumping across a 262 MB tensor.
     */
    private static float[] sample(float[] weights, int count, SplittableRandom random) {
        float[] out = new float[count];
        long n = weights.length;
        int stretch = (int) Math.max(1, n / count);
        for (int i = 0; i < count; i++) {
            int at = (int) Math.min(n - 1, i * n / count + random.nextInt(stretch));
            while (weights[at] == 0) {
                at = (int) ((at + 1) % n); // ends: sampling happens only with more non-zeros than draws
            }
            out[i] = weights[at];
        }
        return out;
    }

    private static int countFiniteNonZero(float[] weights) {
        int count = 0;
        for (int i = 0; i < weights.length; i++) {
            float w = weights[i];
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException("cannot cluster weights[" + i + "] = " + w
                        + ": weights must be finite (no NaN or infinity)");
            }
            if (w != 0) {
                count++;
            }
        }
        return count;
    }

    /**
     * Narrows centroids to float. A centroid of a cluster spanning both signs can round to zero;
     * it becomes the smallest float of its sign instead, so no non-zero weight reconstructs as
     * zero. Order survives: the cluster then holds values of that sign at least as far from zero.
     */
    private static float[] nonZeroFloats(double[] centroids) {
        float[] narrowed = new float[centroids.length];
        for (int c = 0; c < centroids.length; c++) {
            float f = (float) centroids[c];
            narrowed[c] = f != 0 ? f : centroids[c] < 0 ? -Float.MIN_VALUE : Float.MIN_VALUE;
        }
        return narrowed;
    }

    /** Codebook index per weight: zeros get entry 0, every other weight its nearest centroid. */
    private static int[] assign(float[] weights, Codebook codebook) {
        Midpoints m = new Midpoints(codebook);
        int[] indices = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != 0) {
                indices[i] = m.nearest(weights[i]);
            }
        }
        return indices;
    }

    /**
     * The nearest centroid of a non-zero weight is the number of midpoints between neighbouring
     * centroids that lie below it (ties go to the lower centroid), offset past the zero entry. It
     * comes from a binary search over the midpoints padded with +infinity to one less than a power
     * of two, so the steps are fixed and free of branches the CPU could mispredict: about five
     * times faster on random weights.
     */
    private static final class Midpoints {
        private final double[] midpoints;
        private final int steps;
        private final int offset;

        Midpoints(Codebook codebook) {
            float[] e = codebook.entries();
            offset = codebook.zeroEntries();
            int centroids = e.length - offset;
            int s = 1;
            while (s < centroids) {
                s <<= 1;
            }
            steps = s;
            midpoints = new double[s - 1];
            Arrays.fill(midpoints, Double.POSITIVE_INFINITY);
            for (int c = 0; c + 1 < centroids; c++) {
                midpoints[c] = ((double) e[offset + c] + e[offset + c + 1]) / 2;
            }
        }

        int nearest(float w) {
            int below = 0;
            for (int half = steps >>> 1; half > 0; half >>>= 1) {
                below += midpoints[below + half - 1] < w ? half : 0;
            }
            return offset + below;
        }
    }
}
