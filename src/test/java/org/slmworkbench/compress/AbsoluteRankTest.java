package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AbsoluteRankTest {
    /** The rank against a sort of |w|, for every k worth checking, of one tensor and of the same split in two. */
    private static void check(float[] w, String what) {
        float[] sorted = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            sorted[i] = Math.abs(w[i]);
        }
        Arrays.sort(sorted);
        float[] first = Arrays.copyOf(w, w.length / 3);
        float[] rest = Arrays.copyOfRange(w, w.length / 3, w.length);
        for (int k : new int[] {1, 2, w.length / 4, w.length / 2, w.length - 1, w.length}) {
            float expected = sorted[k - 1];
            long below = Arrays.stream(toDoubles(sorted)).filter(x -> x < expected).count();
            AbsoluteRank.Threshold one = AbsoluteRank.kthSmallest(k, w);
            // the two parts visited at once on two threads, as compression's workers do
            AbsoluteRank.Threshold two = AbsoluteRank.kthSmallest(k, visit -> {
                Thread other = new Thread(() -> visit.accept("first", first, first.length));
                other.start();
                visit.accept("rest", rest, rest.length);
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (AbsoluteRank.Threshold t : new AbsoluteRank.Threshold[] {one, two}) {
                assertEquals(expected, t.value(), what + ", k = " + k);
                assertEquals(below, t.below(), what + ", values below, k = " + k);
            }
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void rankOfFloatsAndOfBfloat16ValuesWhichNeedOnePass() {
        SplittableRandom r = new SplittableRandom(3);
        float[] floats = new float[20_000];
        float[] bf16 = new float[20_000];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) (r.nextGaussian() * 0.02);
            // bfloat16 values: the low 16 bits cleared, so many repeat and ties are common
            bf16[i] = Float.intBitsToFloat(Float.floatToRawIntBits(floats[i]) & 0xFFFF0000);
        }
        check(floats, "floats");
        check(bf16, "bfloat16 values");
        // one value with low bits among bfloat16 ones: the second pass must run and find it
        float[] mixed = bf16.clone();
        mixed[7] = Math.nextUp(Math.abs(bf16[7]));
        check(mixed, "bfloat16 values and one float");
    }
}
