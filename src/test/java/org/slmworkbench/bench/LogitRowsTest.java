package org.slmworkbench.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slmworkbench.train.Losses;

class LogitRowsTest {
    /** 2 × 700 positions of a 20,000-token vocabulary: 14M floats, cut into slabs of 209 rows. */
    private static final int BATCH = 2;
    private static final int POSITIONS = 700;
    private static final int VOCAB = 20_000;

    @Test
    void statsCutIntoSlabsAreThoseOfTheWholeTensor() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.randomNormal(new Shape(BATCH, POSITIONS, VOCAB)).mul(3);
            long[] y = new long[BATCH * POSITIONS];
            Random random = new Random(7);
            for (int i = 0; i < y.length; i++) {
                y[i] = random.nextInt(VOCAB);
            }
            NDArray targets = m.create(y, new Shape(BATCH, POSITIONS));
            assertTrue(LogitRows.SLAB_FLOATS < (long) y.length * VOCAB / 4, "the tensor must span several slabs");

            LogitRows.Stats s = LogitRows.stats(logits, targets);

            NDArray logProbs = Losses.logProbs(logits);
            assertArrayEquals(Losses.nll(logProbs, targets).toFloatArray(), s.nll(), 1e-5f);
            assertArrayEquals(Losses.entropy(logProbs).toFloatArray(), s.entropy(), 1e-4f);
            assertArrayEquals(logits.argMax(-1).toLongArray(), s.argmax());
        }
    }

    @Test
    void everyRowIsHandedOverOnceInOrderAlongsideTheSameRowsOfTheOtherTensors() {
        try (NDManager m = NDManager.newBaseManager()) {
            int rows = BATCH * POSITIONS;
            NDArray wide = m.zeros(new Shape(rows, VOCAB));
            NDArray index = m.arange(0, rows, 1, ai.djl.ndarray.types.DataType.INT64).reshape(rows, 1);
            List<Integer> firsts = new ArrayList<>();
            long[] seen = new long[rows];
            LogitRows.bySlabs((first, s) -> {
                firsts.add(first);
                assertEquals(s[0].getShape().get(0), s[1].getShape().get(0));
                long[] ids = s[1].toLongArray();
                for (int i = 0; i < ids.length; i++) {
                    seen[first + i] = ids[i] + 1;
                }
            }, wide, index);
            long per = LogitRows.SLAB_FLOATS / VOCAB;
            assertEquals((rows + per - 1) / per, firsts.size());
            for (int i = 0; i < rows; i++) {
                assertEquals(i + 1, seen[i], "row " + i);
            }
        }
    }

    @Test
    void tensorsOfDifferentRowCountsAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class,
                    () -> LogitRows.bySlabs((first, s) -> { }, m.zeros(new Shape(10, 4)), m.zeros(new Shape(9, 1))));
        }
    }
    @Test
    void theRowKernelGivesWhatPyTorchsOpsGive() {
        assertTrue(org.slmworkbench.model.MatVec.available(), "the tests run with the vector module");
        java.util.Random random = new java.util.Random(9);
        try (NDManager m = NDManager.newBaseManager()) {
            // widths below, at and past a vector, a vocabulary's, and rows with ties for the top
            for (int width : new int[] {3, 16, 37, 300, 2048}) {
                int rows = 41;
                float[] x = new float[rows * width];
                long[] y = new long[rows];
                for (int r = 0; r < rows; r++) {
                    float scale = r % 3 == 0 ? 30f : 2f;
                    for (int v = 0; v < width; v++) {
                        x[r * width + v] = (float) (random.nextGaussian() * scale);
                    }
                    if (r % 4 == 1) {
                        int top = random.nextInt(width);
                        x[r * width + top] = 100f;
                        x[r * width + width - 1] = 100f;
                    }
                    y[r] = random.nextInt(width);
                }
                NDArray logits = m.create(x, new Shape(rows, width));
                NDArray targets = m.create(y, new Shape(rows));
                LogitRows.Stats kernel = LogitRows.rowStats(logits, targets);
                LogitRows.Stats ops = LogitRows.stats(logits, targets);
                for (int r = 0; r < rows; r++) {
                    assertEquals(ops.nll()[r], kernel.nll()[r], 1e-5 * Math.max(1, Math.abs(ops.nll()[r])), "width " + width + " row " + r);
                    assertEquals(ops.entropy()[r], kernel.entropy()[r], 1e-5 * Math.max(1, ops.entropy()[r]), "width " + width + " row " + r);
                }
                assertArrayEquals(ops.argmax(), kernel.argmax(), "width " + width + ": the first of tied tops");
            }
        }
    }
}
