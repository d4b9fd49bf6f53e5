package org.slmworkbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slmworkbench.TestArrays;
import org.slmworkbench.io.HalfFloats;
import org.slmworkbench.io.QuantBlocks;

class MatVecTest {
    /** A head of 4,099 × 256 passes MatVec's size floor, so its decoding steps take the vector path. */
    static final LlamaConfig LARGE_HEAD = new LlamaConfig(256, 96, 2, 4, 2, 64, 1e-5, 10000, 32, 4099, false, 0, 0);

    @Test
    void theTestJvmHasTheVectorApi() {
        // the pom starts tests with the module; without it every test below would only exercise PyTorch
        assertTrue(MatVec.available());
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void kernelMatchesADoubleReferenceForOddShapesAndAnyThreadCount(Precision precision) {
        Random random = new Random(3);
        // block types need rows of whole blocks: one block, a pair, a pair and one, long rows
        int[][] shapes = precision.isBlocks() ? new int[][] {{1, 32}, {3, 64}, {5, 96}, {9, 160}, {130, 2048}, {1031, 32 * 7}}
                : new int[][] {{1, 1}, {3, 7}, {4, 16}, {5, 17}, {9, 100}, {130, 2049}, {1031, 33}};
        for (int[] s : shapes) {
            int rows = s[0];
            int cols = s[1];
            // the reference multiplies the values the weight holds: the f32 draws rounded to the precision
            float[] w = held(randomFloats(random, rows * cols), precision);
            float[] x = randomFloats(random, cols);
            for (int threads = 1; threads <= 3; threads++) {
                float[] y = multiply(w, precision, rows, cols, x, threads);
                for (int r = 0; r < rows; r++) {
                    double expected = 0;
                    for (int c = 0; c < cols; c++) {
                        expected += (double) w[r * cols + c] * x[c];
                    }
                    assertEquals(expected, y[r], 1e-5 * Math.sqrt(cols), rows + "x" + cols + " row " + r + ", " + threads + " threads");
                }
            }
        }
    }

    @Test
    void refusesBuffersTooShortForTheShape() {
        ByteBuffer four = ByteBuffer.allocateDirect(4 * Float.BYTES);
        int f32 = MatVecKernel.F32;
        assertThrows(IllegalArgumentException.class, () -> MatVec.multiply(ByteBuffer.allocateDirect(11 * Float.BYTES), f32, 3, 4, four, four, 2));
        assertThrows(IllegalArgumentException.class, () -> MatVec.multiply(ByteBuffer.allocateDirect(64), f32, 2, 8, four, four, 2));
        assertThrows(IllegalArgumentException.class, () -> MatVec.multiply(ByteBuffer.allocateDirect(80), f32, 5, 4, four, four, 2));
        assertThrows(IllegalArgumentException.class, () -> MatVec.multiply(ByteBuffer.allocateDirect(23), MatVecKernel.BF16, 3, 4, four, four, 2),
                "12 bf16 weights need 24 bytes");
    }

    @Test
    void anInterruptedCallerStillGetsTheWholeProductAndKeepsItsInterrupt() {
        int rows = 512;
        int cols = 256;
        float[] w = randomFloats(new Random(5), rows * cols);
        float[] x = randomFloats(new Random(6), cols);
        float[] expected = multiply(w, Precision.F32, rows, cols, x, 1);
        Thread.currentThread().interrupt();
        try {
            float[] y = multiply(w, Precision.F32, rows, cols, x, 2);
            assertTrue(Thread.currentThread().isInterrupted());
            assertEquals(0, TestArrays.maxAbsDiff(expected, y), 1e-6);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void linearTakesOnlySingleRowsOfLargeWeightsAndAgreesWithPyTorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random random = new Random(9);
            Weight w = Weight.of(m.create(randomFloats(random, 1025 * 1024), new Shape(1025, 1024)));
            NDArray b = m.create(randomFloats(random, 1025), new Shape(1025));
            NDArray row = m.create(randomFloats(random, 1024), new Shape(1, 1, 1024));
            NDArray fast = MatVec.linearOrNull(row, w);
            assertNotNull(fast);
            assertEquals(new Shape(1, 1, 1025), fast.getShape());
            assertEquals(new Shape(1, 1, 1024), row.getShape(), "the input keeps its shape");
            float[] torch = row.getNDArrayInternal().linear(row, w.storage(), b).singletonOrThrow().toFloatArray();
            assertTrue(TestArrays.maxAbsDiff(torch, Ops.linear(row, w, b).toFloatArray()) < 1e-4);

            assertNull(MatVec.linearOrNull(m.create(new float[2048], new Shape(1, 2, 1024)), w), "two rows are a matrix product");
            Weight small = Weight.of(m.create(new float[64 * 1024], new Shape(64, 1024)));
            assertNull(MatVec.linearOrNull(row, small), "a 256 KB weight stays with PyTorch");
            w.storage().setRequiresGradient(true);
            assertNull(MatVec.linearOrNull(row, w), "a weight being trained needs autograd");
        }
    }

    @Test
    void decodingThroughTheKernelMatchesTheFullForwardPass() {
        try (NDManager m = NDManager.newBaseManager();
                LlamaModel model = LlamaModelTest.random(LARGE_HEAD, m.newSubManager(), 11)) {
            long[] tokens = {3, 4000, 17, 4098, 250, 9};
            NDArray ids = m.create(tokens, new Shape(1, tokens.length));
            float[] full = model.forward(ids).get(new NDIndex(":, -1, :")).toFloatArray();
            try (KvCache cache = model.newCache(1, 32)) {
                model.forward(ids.get(new NDIndex(":, 0:5")), cache, model.numLayers());
                NDArray last = ids.get(new NDIndex(":, 5:6"));
                assertNotNull(MatVec.linearOrNull(m.create(new float[256], new Shape(1, 1, 256)), model.weights().get("lm_head.weight")));
                float[] step = model.forward(last, cache, model.numLayers()).toFloatArray();
                double maxDiff = TestArrays.maxAbsDiff(full, step);
                assertTrue(maxDiff <= 1e-4, "max abs diff " + maxDiff);
            }
        }
    }

    /** The values a weight of {@code precision} holds for {@code w}: rounded, or quantized and widened back. */
    private static float[] held(float[] w, Precision precision) {
        if (precision.isBlocks()) {
            float[] back = new float[w.length];
            precision.dequantize(weights(w, precision), w.length, FloatBuffer.wrap(back));
            return back;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = precision.round(w[i]);
        }
        return w;
    }

    /** {@link MatVec#multiply} over direct copies of the arrays, the weights in {@code precision} (exact for values it holds). */
    private static float[] multiply(float[] w, Precision precision, int rows, int cols, float[] x, int threads) {
        ByteBuffer y = direct(new float[rows]);
        if (precision.isBlocks()) {
            ByteBuffer blocks = weights(w, precision);
            int blockBytes = (int) precision.bytes(QuantBlocks.BLOCK);
            byte[] quants = new byte[w.length / QuantBlocks.BLOCK * (blockBytes - 2)];
            float[] scales = new float[w.length / QuantBlocks.BLOCK];
            QuantBlocks.split(blocks, blockBytes, quants, scales);
            MatVec.multiplyBlocks(quants, scales, MatVecKernel.encoding(precision), rows, cols, direct(x), y, threads);
        } else {
            MatVec.multiply(weights(w, precision), MatVecKernel.encoding(precision), rows, cols, direct(x), y, threads);
        }
        float[] out = new float[rows];
        y.asFloatBuffer().get(out);
        return out;
    }

    /** The weights' memory in {@code precision}, as a direct buffer. */
    private static ByteBuffer weights(float[] w, Precision precision) {
        return switch (precision) {
            case F32 -> direct(w);
            case BF16, F16 -> halves(w, precision);
            case Q8_0, Q4_0 -> {
                ByteBuffer b = ByteBuffer.allocateDirect(Math.toIntExact(precision.bytes(w.length)));
                precision.quantize(w, 0, w.length, b);
                yield b.flip();
            }
        };
    }

    private static ByteBuffer halves(float[] values, Precision precision) {
        ByteBuffer b = ByteBuffer.allocateDirect(values.length * Short.BYTES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < values.length; i++) {
            b.putShort(i * Short.BYTES, precision == Precision.BF16 ? HalfFloats.floatToBf16(values[i]) : HalfFloats.floatToF16(values[i]));
        }
        return b;
    }

    private static ByteBuffer direct(float[] values) {
        ByteBuffer b = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(values);
        return b;
    }

    private static float[] randomFloats(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
