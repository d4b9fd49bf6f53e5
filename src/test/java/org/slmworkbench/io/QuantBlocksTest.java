package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantBlocksTest {

    private static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 0.02);
        }
        return v;
    }

    @Test
    void q8_0IsTheBlockScaleTimesTheNearestInteger() {
        float[] x = gaussian(32 * 40, 1);
        ByteBuffer q = ByteBuffer.allocate((int) QuantBlocks.bytes(x.length, QuantBlocks.Q8_0_BYTES));
        QuantBlocks.quantizeQ8_0(x, 0, x.length, q);
        assertEquals(q.capacity(), q.position());
        float[] back = new float[x.length];
        QuantBlocks.dequantizeQ8_0(q.flip(), x.length, FloatBuffer.wrap(back));
        for (int b = 0; b < x.length; b += 32) {
            double amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs((double) x[b + j]));
            }
            // the reference, in double: d = amax / 127 rounded to f16, q = round(x / d)
            double d = HalfFloats.f16ToFloat(HalfFloats.floatToF16((float) (amax / 127)));
            for (int j = 0; j < 32; j++) {
                double expected = Math.rint(x[b + j] / (amax / 127)) * d;
                assertEquals(expected, back[b + j], 1e-9, "value " + (b + j));
                assertTrue(Math.abs(back[b + j] - x[b + j]) <= amax / 127 / 2 + Math.abs(x[b + j]) * 1e-3 + 1e-9);
            }
        }
    }

    @Test
    void q4_0PutsTheLargestMagnitudeOnMinusEightAndNibblesInGgmlOrder() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) {
            x[j] = j - 16; // largest magnitude -16 -> d = 2, nibble 0; value j - 16 -> nibble j / 2 (rounded)
        }
        ByteBuffer q = ByteBuffer.allocate(QuantBlocks.Q4_0_BYTES);
        QuantBlocks.quantizeQ4_0(x, 0, 32, q);
        q.flip();
        assertEquals(2.0f, QuantBlocks.scale(q.duplicate()));
        byte[] nibbles = new byte[16];
        q.duplicate().position(2).get(nibbles);
        for (int j = 0; j < 16; j++) {
            // value j - 16 over d = 2 plus 8.5, truncated: j / 2 + 0 (low); value j over 2 plus 8.5: 8 + j / 2 (high), at most 15
            int lo = (int) ((j - 16) / 2.0 + 8.5);
            int hi = Math.min(15, (int) (j / 2.0 + 8.5));
            assertEquals(lo | hi << 4, nibbles[j] & 0xFF, "byte " + j);
        }
        float[] back = new float[32];
        QuantBlocks.dequantizeQ4_0(q, 32, FloatBuffer.wrap(back));
        assertEquals(-16f, back[0]);
        assertEquals(14f, back[31]); // +15 is beyond +7 · d
    }

    @Test
    void quantizedValuesQuantizeToTheSameBytes() {
        float[] x = gaussian(32 * 64, 2);
        for (int blockBytes : new int[] {QuantBlocks.Q8_0_BYTES, QuantBlocks.Q4_0_BYTES}) {
            ByteBuffer first = ByteBuffer.allocate((int) QuantBlocks.bytes(x.length, blockBytes));
            quantize(blockBytes, x, first);
            float[] back = new float[x.length];
            dequantize(blockBytes, first.flip(), back);
            ByteBuffer second = ByteBuffer.allocate(first.capacity());
            quantize(blockBytes, back, second);
            assertArrayEquals(first.array(), second.array(), "layout of " + blockBytes + " bytes");
        }
    }

    @Test
    void q4_0ErrorIsWithinHalfAStepAndZeroBlocksStayZero() {
        float[] x = gaussian(32 * 50, 3);
        java.util.Arrays.fill(x, 0, 32, 0f);
        ByteBuffer q = ByteBuffer.allocate((int) QuantBlocks.bytes(x.length, QuantBlocks.Q4_0_BYTES));
        QuantBlocks.quantizeQ4_0(x, 0, x.length, q);
        float[] back = new float[x.length];
        QuantBlocks.dequantizeQ4_0(q.flip(), x.length, FloatBuffer.wrap(back));
        for (int j = 0; j < 32; j++) {
            assertTrue(back[j] == 0f, "value " + j); // -0 too: a zero block has d = -0
        }
        for (int b = 32; b < x.length; b += 32) {
            double amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs((double) x[b + j]));
            }
            // one step is amax / 8; the side opposite the largest magnitude stops at 7 steps (clipped)
            double step = amax / 8;
            for (int j = 0; j < 32; j++) {
                assertTrue(Math.abs(back[b + j] - x[b + j]) <= step * 0.5 * 1.002 + 1e-9 || Math.abs(back[b + j]) >= 7 * step * 0.999,
                        "value " + (b + j) + ": " + x[b + j] + " came back " + back[b + j]);
            }
        }
    }

    @Test
    void partialBlocksAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> QuantBlocks.bytes(33, QuantBlocks.Q8_0_BYTES));
        assertThrows(IllegalArgumentException.class, () -> QuantBlocks.quantizeQ4_0(new float[40], 0, 40, ByteBuffer.allocate(100)));
    }

    private static void quantize(int blockBytes, float[] x, ByteBuffer dst) {
        if (blockBytes == QuantBlocks.Q8_0_BYTES) {
            QuantBlocks.quantizeQ8_0(x, 0, x.length, dst);
        } else {
            QuantBlocks.quantizeQ4_0(x, 0, x.length, dst);
        }
    }

    private static void dequantize(int blockBytes, ByteBuffer src, float[] out) {
        if (blockBytes == QuantBlocks.Q8_0_BYTES) {
            QuantBlocks.dequantizeQ8_0(src, out.length, FloatBuffer.wrap(out));
        } else {
            QuantBlocks.dequantizeQ4_0(src, out.length, FloatBuffer.wrap(out));
        }
    }
}
