package org.slmworkbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void mediansAndNearestRankPercentiles() {
        double[] odd = {5, 1, 3};
        assertEquals(3, Stats.median(odd));
        assertEquals(5, odd[0], "the input is left as it was");
        assertEquals(2.5, Stats.median(new double[] {4, 1, 2, 3}));
        assertTrue(Double.isNaN(Stats.median(new double[0])));
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, Stats.percentile(sorted, 0.5));
        assertEquals(10, Stats.percentile(sorted, 0.95));
        assertEquals(1, Stats.percentile(sorted, 0));
        assertTrue(Double.isNaN(Stats.percentile(new double[0], 0.5)));
    }
}
