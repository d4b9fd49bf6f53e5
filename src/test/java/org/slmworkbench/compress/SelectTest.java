package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectTest {
    private static void check(float[] a, String what) {
        float[] before = a.clone();
        float[] sorted = a.clone();
        Arrays.sort(sorted);
        float[] scratch = new float[a.length + 1];
        for (int k : new int[] {1, 2, a.length / 3, a.length / 2, a.length / 2 + 1, a.length - 1, a.length}) {
            assertEquals(sorted[k - 1], Select.kthSmallest(a, k, scratch), what + ", k = " + k);
        }
        assertArrayEquals(before, a, "the row is left as it was");
    }

    @Test
    void findsTheKthSmallestOfRowsLikeWandasScores() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {7, 1000, 2048, 5632}) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (Math.abs(r.nextGaussian()) * (1 + r.nextDouble()));
            }
            check(a, "random, n = " + n);
        }
    }

    @Test
    void tiesSortedRowsAndRowsThatFoolTheSample() {
        float[] equal = new float[3000];
        Arrays.fill(equal, 0.25f);
        check(equal, "all equal");
        float[] sorted = new float[4096];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i;
        }
        check(sorted, "ascending");
        float[] fewValues = new float[4096];
        for (int i = 0; i < fewValues.length; i++) {
            fewValues[i] = i % 3;
        }
        check(fewValues, "three values");
        // the sample reads every 16th value: here those are all tiny, the rest large, so the
        // bracket from the sample misses middle ranks and the whole row is searched
        float[] fooled = new float[4096];
        for (int i = 0; i < fooled.length; i++) {
            fooled[i] = i % 16 == 0 ? 1e-9f * i : 1 + i;
        }
        check(fooled, "sample unlike the row");
    }
}
