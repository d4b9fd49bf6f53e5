package org.slmworkbench.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slmworkbench.compress.codec.WeightClustering.Clustered;

class WeightClusteringTest {
    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller; 1 - u keeps the logarithm finite.
            double radius = Math.sqrt(-2 * Math.log(1 - random.nextDouble()));
            w[i] = (float) (radius * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return w;
    }

    private static double meanSquaredError(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum / a.length;
    }

    private static int nonZeros(float[] w) {
        int n = 0;
        for (float x : w) {
            n += x != 0 ? 1 : 0;
        }
        return n;
    }

    /** Three tight groups around the given centres, in random order; cluster[i] says which. */
    private static float[] groups(float[] centres, int perGroup, int[] cluster, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[centres.length * perGroup];
        for (int i = 0; i < w.length; i++) {
            cluster[i] = random.nextInt(centres.length);
            w[i] = centres[cluster[i]] + (float) random.nextDouble(-0.01, 0.01);
        }
        return w;
    }

    @Test
    void recoversObviousCentres() {
        float[] centres = {-0.5f, 0.25f, 1f};
        int[] truth = new int[9000];
        float[] w = groups(centres, 3000, truth, 11);
        Clustered c = WeightClustering.cluster(w, 3, 42);
        assertEquals(3, c.codebook().length);
        for (int j = 0; j < 3; j++) {
            assertEquals(centres[j], c.codebook()[j], 0.002, "centre " + j);
        }
        assertArrayEquals(truth, c.indices());
    }

    @Test
    void recoversObviousCentresAfterTheZeroEntry() {
        float[] centres = {-0.5f, 0.25f, 1f};
        int[] truth = new int[9000];
        float[] w = groups(centres, 3000, truth, 12);
        for (int i = 0; i < w.length; i += 3) {
            w[i] = 0;
        }
        Clustered c = WeightClustering.cluster(w, 4, 42);
        assertEquals(4, c.codebook().length);
        assertEquals(0f, c.codebook()[0]);
        for (int j = 0; j < 3; j++) {
            assertEquals(centres[j], c.codebook()[j + 1], 0.002, "centre " + j);
        }
        for (int i = 0; i < w.length; i++) {
            assertEquals(i % 3 == 0 ? 0 : truth[i] + 1, c.indices()[i], "weight " + i);
        }
    }

    @Test
    void errorFallsAsKGrowsAndMatchesLloydMaxOnGaussianData() {
        float[] w = gaussian(20_000, 1);
        // Optimal quantizer MSE of a unit Gaussian (Max 1960): k=2 0.3634, 4 0.1175, 16 0.0095.
        double[][] expected = {
            {2, 0.34, 0.38}, {4, 0.11, 0.125}, {16, 0.0085, 0.0105}, {256, 0, 1e-4}};
        double previous = Double.POSITIVE_INFINITY;
        for (double[] e : expected) {
            int k = (int) e[0];
            Clustered c = WeightClustering.cluster(w, k, 5);
            assertEquals(k, c.codebook().length);
            double mse = meanSquaredError(w, WeightClustering.reconstruct(c));
            assertTrue(mse < previous, "k = " + k + ": " + mse + " not below " + previous);
            assertTrue(mse >= e[1] && mse <= e[2], "k = " + k + ": mse " + mse);
            previous = mse;
        }
    }

    @Test
    void assignsNearestCentroidAndCentroidsAreMeansOfTheirWeights() {
        float[] w = gaussian(20_000, 2);
        Clustered c = WeightClustering.cluster(w, 16, 9);
        float[] book = c.codebook();
        double[] sums = new double[book.length];
        int[] counts = new int[book.length];
        for (int i = 0; i < w.length; i++) {
            int assigned = c.indices()[i];
            for (float other : book) {
                assertTrue(Math.abs(w[i] - book[assigned]) <= Math.abs(w[i] - other),
                        "weight " + i + " = " + w[i] + " is nearer " + other
                                + " than " + book[assigned]);
            }
            sums[assigned] += w[i];
            counts[assigned]++;
        }
        for (int j = 0; j < book.length; j++) {
            assertTrue(j == 0 || book[j - 1] < book[j], "codebook ascending");
            assertTrue(counts[j] > 0, "entry " + j + " unused");
            assertEquals(sums[j] / counts[j], book[j], 1e-6, "entry " + j);
        }
    }

    @Test
    void twoHundredFiftySixDistinctValuesAreKeptExactly() {
        SplittableRandom random = new SplittableRandom(3);
        float[] distinct = new float[256];
        for (int i = 0; i < distinct.length; i++) {
            distinct[i] = (float) random.nextDouble(-3, 3);
        }
        float[] w = new float[5000];
        for (int i = 0; i < w.length; i++) {
            w[i] = distinct[i < 256 ? i : random.nextInt(256)];
        }
        Clustered c = WeightClustering.cluster(w, 256, 1);
        assertArrayEquals(w, WeightClustering.reconstruct(c));
        float[] sorted = distinct.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, c.codebook());

        for (int i = 0; i < w.length; i++) {
            w[i] = w[i] == distinct[0] || i % 7 == 0 ? 0 : w[i]; // 255 non-zero values plus zero
        }
        Clustered withZeros = WeightClustering.cluster(w, 256, 1);
        assertArrayEquals(w, WeightClustering.reconstruct(withZeros));
        assertEquals(256, withZeros.codebook().length);
    }

    @Test
    void fewerDistinctValuesThanKShrinkTheCodebook() {
        float[] w = {2f, -1f, 0f, 2f, 0.5f, -1f, 0f, 7f};
        Clustered c = WeightClustering.cluster(w, 16, 8);
        assertArrayEquals(new float[] {0f, -1f, 0.5f, 2f, 7f}, c.codebook());
        assertArrayEquals(new int[] {3, 1, 0, 3, 2, 1, 0, 4}, c.indices());
        assertArrayEquals(w, WeightClustering.reconstruct(c));
    }

    @Test
    void packedSixteenClusterTensorTakesHalfAByteAWeight() {
        for (int n : new int[] {17, 1001, 4097}) {
            float[] weights = gaussian(n, n);
            Clustered clustered = WeightClustering.cluster(weights, 16, 1);
            assertEquals(16, clustered.codebook().length, "n = " + n);
            int bits = BitPacking.bitsFor(clustered.codebook().length);
            assertEquals(4, bits);
            byte[] packed = BitPacking.pack(clustered.indices(), bits);
            assertEquals((n * 4 + 7) / 8, packed.length, "n = " + n);
            assertArrayEquals(clustered.indices(), BitPacking.unpack(packed, n, bits));
        }
    }

    @Test
    void prunedZerosStayExactlyZero() {
        float[] w = gaussian(10_000, 4);
        for (int i = 0; i < w.length; i++) {
            if (Math.abs(w[i]) < 0.8) { // about 58% pruned by magnitude
                w[i] = i % 2 == 0 ? 0f : -0f;
            }
        }
        Clustered c = WeightClustering.cluster(w, 16, 3);
        assertEquals(16, c.codebook().length);
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(c.codebook()[0]));
        float[] back = WeightClustering.reconstruct(c);
        assertEquals(nonZeros(w), nonZeros(back));
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i] == 0, back[i] == 0, "weight " + i);
            assertEquals(w[i] == 0, c.indices()[i] == 0, "index of weight " + i);
        }
    }

    @Test
    void clusterSpanningZeroDoesNotTurnWeightsIntoZeros() {
        float[] w = {-1f, 0f, 1f, 0f};
        Clustered c = WeightClustering.cluster(w, 2, 1);
        assertArrayEquals(new float[] {0f, Float.MIN_VALUE}, c.codebook());
        assertEquals(2, nonZeros(WeightClustering.reconstruct(c)));
    }

    @Test
    void aHistogramOfCountedValuesGivesTheCodebookOfTheValuesListed() {
        SplittableRandom random = new SplittableRandom(9);
        float[] distinct = new float[300];
        for (int j = 0; j < distinct.length; j++) {
            distinct[j] = (j - 150) * 0.01f + (j >= 150 ? 0.01f : 0f); // ascending, no zero
        }
        long[] counts = new long[distinct.length];
        float[] listed = new float[20_000];
        int zeros = 0;
        for (int i = 0; i < listed.length; i++) {
            if (i % 9 == 0) {
                zeros++;
                continue;
            }
            int j = (int) Math.min(distinct.length - 1, random.nextInt(1 + random.nextInt(distinct.length)));
            listed[i] = distinct[j];
            counts[j]++;
        }
        int used = 0;
        for (long c : counts) {
            used += c > 0 ? 1 : 0;
        }
        float[] values = new float[used];
        long[] usedCounts = new long[used];
        for (int j = 0, u = 0; j < distinct.length; j++) {
            if (counts[j] > 0) {
                values[u] = distinct[j];
                usedCounts[u++] = counts[j];
            }
        }
        for (int k : new int[] {2, 16, 256}) {
            WeightClustering.Codebook fromList = WeightClustering.codebook(listed, k, 5);
            WeightClustering.Codebook fromCounts = WeightClustering.codebook(new Histogram(values, usedCounts, zeros), k, 5);
            assertArrayEquals(fromList.entries(), fromCounts.entries(), "k = " + k);
            assertEquals(1, fromCounts.zeroEntries());
        }
        assertEquals(Math.min(used, 255) + 1, WeightClustering.codebook(new Histogram(values, usedCounts, zeros), 256, 5).entries().length,
                "k = 256 keeps every one of the distinct values and the zero");
    }

    @Test
    void sameSeedGivesIdenticalOutput() {
        float[] w = gaussian(50_000, 6);
        Clustered a = WeightClustering.cluster(w, 16, 123);
        Clustered b = WeightClustering.cluster(w.clone(), 16, 123);
        assertArrayEquals(a.codebook(), b.codebook());
        assertArrayEquals(a.indices(), b.indices());
    }

    @Test
    void seedsReachDifferentSolutionsOnAmbiguousData() {
        // Three equal groups, two clusters: either outer group may end up merged with the middle.
        float[] w = groups(new float[] {-1f, 0.2f, 1.4f}, 100, new int[300], 13);
        List<List<Float>> solutions = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            float[] book = WeightClustering.cluster(w, 2, seed).codebook();
            List<Float> solution = List.of(book[0], book[1]);
            if (!solutions.contains(solution)) {
                solutions.add(solution);
            }
        }
        assertTrue(solutions.size() >= 2, "all seeds gave " + solutions);
    }

    @Test
    void emptyAndAllZeroTensors() {
        Clustered empty = WeightClustering.cluster(new float[0], 16, 1);
        assertEquals(0, empty.codebook().length);
        assertEquals(0, empty.indices().length);
        assertEquals(0, WeightClustering.reconstruct(empty).length);

        Clustered zeros = WeightClustering.cluster(new float[5], 16, 1);
        assertArrayEquals(new float[] {0f}, zeros.codebook());
        assertArrayEquals(new int[5], zeros.indices());
        assertArrayEquals(new float[5], WeightClustering.reconstruct(zeros));
    }

    @Test
    void rejectsNonFiniteWeightsAndBadK() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> WeightClustering.cluster(new float[] {1, 2, 0, Float.NaN}, 4, 1));
        assertTrue(nan.getMessage().contains("weights[3] = NaN"), nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> WeightClustering.cluster(new float[] {Float.NEGATIVE_INFINITY}, 4, 1));
        assertTrue(inf.getMessage().contains("weights[0] = -Infinity"), inf.getMessage());
        for (int k : new int[] {1, 257, 0, -5}) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> WeightClustering.cluster(new float[] {1, 2}, k, 1));
            assertTrue(bad.getMessage().contains("2..256"), bad.getMessage());
        }
    }

    @Test
    void reconstructRejectsIndicesOutsideTheCodebook() {
        Clustered corrupt = new Clustered(new float[] {0f, 1f, 2f}, new int[] {0, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightClustering.reconstruct(corrupt));
        assertTrue(e.getMessage().contains("indices[2] = 3"), e.getMessage());
    }
}
