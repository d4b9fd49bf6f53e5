package org.slmworkbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RocAucTest {
    @Test
    void perfectInvertedAndTiedRankings() {
        boolean[] labels = {false, false, true, true};
        assertEquals(1.0, RocAuc.of(new double[] {0.1, 0.2, 0.8, 0.9}, labels), 1e-12);
        assertEquals(0.0, RocAuc.of(new double[] {0.9, 0.8, 0.2, 0.1}, labels), 1e-12);
        assertEquals(0.5, RocAuc.of(new double[] {1, 1, 1, 1}, labels), 1e-12);
    }

    @Test
    void matchesPairCountingOnAMixedExample() {
        double[] s = {0.3, 0.7, 0.5, 0.5, 0.9, 0.1};
        boolean[] y = {false, true, false, true, true, false};
        // pairs (pos, neg): count pos > neg as 1, ties as 0.5
        double wins = 0;
        int pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] && !y[j]) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(wins / pairs, RocAuc.of(s, y), 1e-12);
        assertTrue(Double.isNaN(RocAuc.of(new double[] {1, 2}, new boolean[] {true, true})));
    }
}
