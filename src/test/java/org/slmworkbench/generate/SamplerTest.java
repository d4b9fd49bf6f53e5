package org.slmworkbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplerTest {
    final float[] logits = {0.1f, 2.0f, 1.0f, -1.0f, 1.5f};

    @Test
    void greedyPicksTheLargest() {
        assertEquals(1, Sampler.greedy().sample(logits));
    }

    @Test
    void topKOfOneAndTinyTopPAreGreedy() {
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(1, new StochasticSampler(1.0, 1, 1.0, seed).sample(logits));
            assertEquals(1, new StochasticSampler(1.0, 0, 0.01, seed).sample(logits));
        }
    }

    @Test
    void sameSeedSameSequence() {
        StochasticSampler a = new StochasticSampler(0.8, 0, 1.0, 42);
        StochasticSampler b = new StochasticSampler(0.8, 0, 1.0, 42);
        for (int i = 0; i < 50; i++) {
            assertEquals(a.sample(logits), b.sample(logits));
        }
    }

    @Test
    void frequenciesFollowTheSoftmax() {
        StochasticSampler s = new StochasticSampler(1.0, 0, 1.0, 7);
        int[] counts = new int[logits.length];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts[s.sample(logits)]++;
        }
        double z = 0;
        for (float l : logits) {
            z += Math.exp(l);
        }
        for (int i = 0; i < logits.length; i++) {
            double expected = Math.exp(logits[i]) / z;
            assertEquals(expected, counts[i] / (double) n, 0.005, "token " + i);
        }
    }

    @Test
    void topKExcludesTheRest() {
        StochasticSampler s = new StochasticSampler(5.0, 2, 1.0, 3);
        for (int i = 0; i < 1000; i++) {
            int t = s.sample(logits);
            assertTrue(t == 1 || t == 4, "only the two largest may be drawn, got " + t);
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(10, -1, 0, 1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(10, 1, 0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(10, 1, -3, 1, 0, true));
    }
}
