package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slmworkbench.compress.codec.WeightClustering;
import org.slmworkbench.model.Precision;
import org.slmworkbench.model.Weight;

class SixteenBitSharingTest {
    /** Gaussian weights with exact zeros and negative zeros among them. */
    private static float[] weights(int n, long seed) {
        Random random = new Random(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = i % 11 == 0 ? (i % 22 == 0 ? 0f : -0f) : (float) random.nextGaussian() * 0.03f;
        }
        return w;
    }

    private static short[] bits(Weight w) {
        ShortBuffer b = w.memory().asShortBuffer();
        short[] out = new short[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * Below the sample size every non-zero weight is fitted either way, so the patterns' histogram
     * and the widened floats' sorted values are the same data: the bits must agree exactly with
     * widening, clustering, snapping to the rounded codebook and narrowing.
     */
    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"BF16", "F16"})
    void patternsGiveTheFloatPathsBitsExactly(Precision precision) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int k : new int[] {2, 16, 256}) {
                Shape shape = new Shape(300, 500);
                Weight w = Weight.fromFloats(m, shape, precision, weights(300 * 500, k));
                float[] floats = w.floats();
                Compressor.snap(floats, Compressor.roundedTo(WeightClustering.codebook(floats, k, 42), precision));
                short[] expected = bits(Weight.fromFloats(m, shape, precision, floats));
                short[] shared = bits(SixteenBitSharing.share(w, k, 42, m));
                assertArrayEquals(expected, shared, precision + ", k = " + k);
                Set<Short> distinct = new TreeSet<>();
                short[] before = bits(w);
                for (int i = 0; i < shared.length; i++) {
                    distinct.add(shared[i]);
                    assertEquals((before[i] & 0x7FFF) == 0, (shared[i] & 0x7FFF) == 0, "zero stays zero, non-zero non-zero: " + i);
                    if ((before[i] & 0x7FFF) == 0) {
                        assertEquals(before[i], shared[i], "the sign of a zero is kept: " + i);
                    }
                }
                assertTrue(distinct.size() <= k + 1, distinct.size() + " patterns at k = " + k + " (+0 and -0 are one entry)");
            }
        }
    }

    /**
     * Past the sample size the whole tensor is fitted: every weight takes its nearest entry, and each
     * entry is the mean of the weights that took it, to the precision's rounding.
     */
    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"BF16", "F16"})
    void aLargeTensorIsClusteredWhole(Precision precision) {
        try (NDManager m = NDManager.newBaseManager()) {
            Weight w = Weight.fromFloats(m, new Shape(512, 1024), precision, weights(512 * 1024, 5));
            float[] before = w.floats();
            float[] after = SixteenBitSharing.share(w, 16, 42, m).floats();
            TreeSet<Float> nonZero = new TreeSet<>();
            for (float a : after) {
                if (a != 0) {
                    nonZero.add(a);
                }
            }
            List<Float> book = new ArrayList<>(nonZero);
            assertEquals(15, book.size(), "zeros take one of the 16 entries");
            double[] sums = new double[book.size()];
            long[] counts = new long[book.size()];
            for (int i = 0; i < before.length; i++) {
                if (before[i] == 0) {
                    assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(after[i]), "zero " + i + " stays as it was");
                    continue;
                }
                int j = book.indexOf(after[i]);
                for (float other : book) {
                    assertTrue(Math.abs((double) before[i] - after[i]) <= Math.abs((double) before[i] - other),
                            "weight " + i + " = " + before[i] + " took " + after[i] + " though " + other + " is nearer");
                }
                sums[j] += before[i];
                counts[j]++;
            }
            for (int j = 0; j < book.size(); j++) {
                double mean = sums[j] / counts[j];
                assertEquals(mean, book.get(j), Math.abs(mean) * 0x1p-7, "entry " + j + " is its cluster's mean");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"BF16", "F16"})
    void nonFiniteWeightsAreRefused(Precision precision) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] values = weights(64, 1);
            values[7] = Float.NaN;
            Weight w = Weight.fromFloats(m, new Shape(8, 8), precision, values);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SixteenBitSharing.share(w, 16, 42, m));
            assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("finite"), e.getMessage());
        }
    }
}
