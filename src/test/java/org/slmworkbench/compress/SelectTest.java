package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectTest {
    private static void check(double[] a, String what) {
        double[] before = a.clone();
        double[] sorted = a.clone();
        Arrays.sort(sorted);
        double[] scratch = new double[a.length + 1];
        for (int k : new int[] {1, 2, a.length / 3, a.length / 2, a.length / 2 + 1, a.length - 1, a.length}) {
            assertEquals(sorted[k - 1], Select.kthSmallest(a, k, scratch), what + ", k = " + k);
        }
        assertArrayEquals(before, a, "the row is left as it was");
    }

    @Test
    void findsTheKthSmallestOfRowsLikeWandasScores() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {7, 1000, 2048, 5632}) {
            double[] a = new double[n];
            Arrays.setAll(a, i -> Math.abs(r.nextGaussian()) * (1 + r.nextDouble()));
            check(a, "random, n = " + n);
        }
    }

    @Test
    void tiesSortedRowsAndRowsThatFoolTheSample() {
        double[] equal = new double[3000];
        Arrays.fill(equal, 0.25);
        check(equal, "all equal");
        double[] sorted = new double[4096];
        Arrays.setAll(sorted, i -> i);
        check(sorted, "ascending");
        double[] fewValues = new double[4096];
        Arrays.setAll(fewValues, i -> i % 3);
        check(fewValues, "three values");
        // the sample reads every 16th value: here those are all tiny, the rest large, so the
        // bracket from the sample misses middle ranks and the whole row is searched
        double[] fooled = new double[4096];
        Arrays.setAll(fooled, i -> i % 16 == 0 ? 1e-9 * i : 1 + i);
        check(fooled, "sample unlike the row");
    }
}
