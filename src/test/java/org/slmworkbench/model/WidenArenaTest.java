package org.slmworkbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rows widened into the arena are the weight's values; after a clear the same memory serves again. */
class WidenArenaTest {
    @Test
    void rowsHandedOutTogetherAreDistinctAndAClearReusesTheMemory() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(3);
            float[] values = new float[6000 * 1500];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) r.nextGaussian();
            }
            Weight w = Weight.fromFloats(m, new Shape(6000, 1500), Precision.BF16, values);
            float[] exact = w.floats();
            try (WidenArena arena = WidenArena.open()) {
                assertThrows(IllegalStateException.class, WidenArena::open, "one arena per thread");
                long capacity = 0;
                for (int round = 0; round < 3; round++) {
                    try (NDManager scope = m.newSubManager()) {
                        // 36 MB of rows a round: without a clear the second round would need a second 64 MB segment
                        NDArray[] parts = new NDArray[6];
                        for (int p = 0; p < parts.length; p++) {
                            parts[p] = arena.rows(w, p * 1000L, (p + 1) * 1000L, scope);
                        }
                        for (int p = 0; p < parts.length; p++) {
                            assertEquals(new Shape(1000, 1500), parts[p].getShape());
                            assertArrayEquals(Arrays.copyOfRange(exact, p * 1000 * 1500, (p + 1) * 1000 * 1500), parts[p].toFloatArray(), 0f,
                                    "rows " + p * 1000 + ".. in round " + round);
                        }
                    }
                    arena.clear();
                    if (round == 0) {
                        capacity = arena.capacity();
                    }
                    assertEquals(capacity, arena.capacity(), "round " + round + " reused the memory of the first");
                }
            }
            assertNull(WidenArena.current(), "closing leaves the thread without an arena");
        }
    }
}
