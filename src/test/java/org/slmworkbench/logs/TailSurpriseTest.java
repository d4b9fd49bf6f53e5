package org.slmworkbench.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TailSurpriseTest {
    private static double[] period(double offset, double scale) {
        Random r = new Random(7);
        double[] v = new double[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = offset + scale * r.nextGaussian();
        }
        return v;
    }

    @Test
    void aScoreBecomesItsRarityInThePeriod() {
        TailSurprise r = TailSurprise.fit(period(19, 0.4));
        assertEquals(0, r.of(10), 1e-12, "every period line is at least as surprising: no rarity");
        assertEquals(Math.log(1001.0 / 501), r.of(19), 0.05, "about half the period is above its median");
        double u = r.of(19 + 0.4 * 1.2816); // the 90th percentile of the period
        assertEquals(Math.log(10), u, 0.1);
    }

    @Test
    void beyondThePeriodTheOrderIsKept() {
        TailSurprise r = TailSurprise.fit(period(0, 1));
        double previous = Double.NEGATIVE_INFINITY;
        for (double x = -3; x <= 12; x += 0.25) {
            double s = r.of(x);
            assertTrue(s >= previous, "monotone at " + x);
            previous = s;
        }
        assertTrue(r.of(8) > r.of(6) + 1, "past the period's largest score the surprise keeps growing, not capped at ln(n + 1)");
    }

    @Test
    void theOffsetAndSpreadOfTheRawScoreDoNotMatter() {
        TailSurprise narrow = TailSurprise.fit(period(19, 0.4));
        TailSurprise wide = TailSurprise.fit(period(1, 3));
        for (double z : new double[] {-1, 0, 0.5, 1.5, 3, 6}) {
            assertEquals(narrow.of(19 + 0.4 * z), wide.of(1 + 3 * z), 1e-9, "z = " + z);
        }
    }

    @Test
    void aConstantPeriodStillRanksAndAnEmptyOneIsRefused() {
        TailSurprise r = TailSurprise.fit(new double[] {2, 2, 2, 2});
        assertEquals(0, r.of(2), 1e-12);
        assertEquals(Math.log(5), r.of(2.5), 1e-12, "above every period score: the empirical floor, as no tail can be fitted");
        assertThrows(IllegalArgumentException.class, () -> TailSurprise.fit(new double[0]));
    }
}
