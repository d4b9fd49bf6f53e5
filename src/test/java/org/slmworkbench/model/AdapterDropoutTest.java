package org.slmworkbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AdapterDropoutTest {
    private static final String MATRIX = "model.layers.0.self_attn.q_proj.weight";

    @Test
    void aMaskDropsAboutPOfTheInputsAndScalesTheRestByOneOverOneMinusP() {
        int n = 200_001;
        float[] mask = AdapterDropout.mask(1337, 7, MATRIX, n, 0.3);
        long dropped = 0;
        for (float v : mask) {
            if (v == 0) {
                dropped++;
            } else {
                assertEquals((float) (1 / 0.7), v);
            }
        }
        // the binomial's standard deviation is about 0.001 of n
        assertEquals(0.3, (double) dropped / n, 0.005);
        // about p of odd and of even places alike: each 64-bit draw feeds two
        long droppedOdd = 0;
        for (int i = 1; i < n; i += 2) {
            droppedOdd += mask[i] == 0 ? 1 : 0;
        }
        assertEquals(0.3, (double) droppedOdd / (n / 2), 0.007);
    }

    @Test
    void aMaskIsAFunctionOfSeedStepAndMatrixAlone() {
        float[] mask = AdapterDropout.mask(1337, 7, MATRIX, 1000, 0.5);
        assertArrayEquals(mask, AdapterDropout.mask(1337, 7, MATRIX, 1000, 0.5));
        assertFalse(Arrays.equals(mask, AdapterDropout.mask(1337, 8, MATRIX, 1000, 0.5)), "another step");
        assertFalse(Arrays.equals(mask, AdapterDropout.mask(1338, 7, MATRIX, 1000, 0.5)), "another seed");
        assertFalse(Arrays.equals(mask, AdapterDropout.mask(1337, 7, "model.layers.0.self_attn.k_proj.weight", 1000, 0.5)),
                "another matrix");
    }

    @Test
    void inputsAreDroppedOnlyWithinATrainingStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(2, 3, 50));
            assertSame(x, AdapterDropout.apply(x, 0.4, MATRIX), "outside training");
            float[] dropped = AdapterDropout.training(5, 2, () -> AdapterDropout.apply(x, 0.4, MATRIX).toFloatArray());
            assertArrayEquals(AdapterDropout.mask(5, 2, MATRIX, 300, 0.4), dropped);
            assertSame(x, AdapterDropout.training(5, 2, () -> AdapterDropout.apply(x, 0, MATRIX)), "at p = 0");
            assertSame(x, AdapterDropout.apply(x, 0.4, MATRIX), "after the step");
        }
    }
}
