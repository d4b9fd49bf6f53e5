package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    /** Value of an F16 pattern straight from the IEEE 754 definition, computed in double. */
    private static double f16Reference(int h) {
        int sign = h >>> 15;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        double magnitude = exponent == 0x1F ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                : exponent == 0 ? Math.scalb((double) mantissa, -24)
                : Math.scalb((double) (1024 + mantissa), exponent - 25);
        return sign == 1 ? -magnitude : magnitude;
    }

    @Test
    void f16ToFloatIsExactForEveryBitPattern() {
        for (int h = 0; h < 1 << 16; h++) {
            float actual = HalfFloats.f16ToFloat((short) h);
            double expected = f16Reference(h);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), "pattern 0x" + Integer.toHexString(h));
            } else {
                assertEquals(Float.floatToRawIntBits((float) expected), Float.floatToRawIntBits(actual),
                        "pattern 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void f16RoundTripsEveryBitPattern() {
        for (int h = 0; h < 1 << 16; h++) {
            short back = HalfFloats.floatToF16(HalfFloats.f16ToFloat((short) h));
            boolean nan = (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
            // NaNs keep sign and payload and come back quiet; everything else comes back bit for bit.
            assertEquals(nan ? h | 0x200 : h, back & 0xFFFF, "pattern 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void f16KnownValues() {
        assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3C00));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7BFF));
        assertEquals(5.9604645e-8f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(6.1035156e-5f, HalfFloats.f16ToFloat((short) 0x0400)); // smallest normal
        assertEquals(-2f, HalfFloats.f16ToFloat((short) 0xC000));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat((short) 0xFC00));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat((short) 0x7C00));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x8000)));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7E00)));
        assertEquals(0x2E66, HalfFloats.floatToF16(0.1f)); // 0.0999755859375
        assertEquals(0x7C00, HalfFloats.floatToF16(65520f)); // halfway to the next binade rounds up to infinity
        assertEquals(0x7BFF, HalfFloats.floatToF16(65519.996f));
        assertEquals(0x7C00, HalfFloats.floatToF16(1e10f));
        assertEquals(0x8000, HalfFloats.floatToF16(-1e-10f) & 0xFFFF);
        assertEquals(0, HalfFloats.floatToF16(Float.MIN_VALUE));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.intBitsToFloat(0x7F800001)))),
                "a NaN whose payload sits only in low bits must not turn into infinity");
    }

    @Test
    void floatToF16RoundsToNearestEvenBetweenEveryPairOfNeighbours() {
        for (int h = 0; h < 0x7C00; h++) {
            double low = f16Reference(h);
            double high = h == 0x7BFF ? 65536 : f16Reference(h + 1); // infinity sits where 2^16 would
            float mid = (float) ((low + high) / 2); // exact: needs one bit more than F16 has
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, HalfFloats.floatToF16(mid), "tie above 0x" + Integer.toHexString(h));
            assertEquals(even | 0x8000, HalfFloats.floatToF16(-mid) & 0xFFFF);
            assertEquals(h + 1, HalfFloats.floatToF16(Math.nextUp(mid)));
            assertEquals(h, HalfFloats.floatToF16(Math.nextDown(mid)));
        }
    }

    @Test
    void bf16KnownValues() {
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3F80));
        assertEquals(-2f, HalfFloats.bf16ToFloat((short) 0xC000));
        assertEquals(3.140625f, HalfFloats.bf16ToFloat((short) 0x4049));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.bf16ToFloat((short) 0x7F80));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.bf16ToFloat((short) 0xFF80));
        assertEquals(9.18355e-41f, HalfFloats.bf16ToFloat((short) 0x0001));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat((short) 0x7FC0)));
        assertEquals(0x4049, HalfFloats.floatToBf16((float) Math.PI));
        assertEquals(0x3DCD, HalfFloats.floatToBf16(0.1f));
        assertEquals(0x3F80, HalfFloats.floatToBf16(1.00390625f)); // tie between 0x3F80 and 0x3F81 goes to even
        assertEquals(0x3F82, HalfFloats.floatToBf16(1.01171875f)); // tie between 0x3F81 and 0x3F82 goes to even
        assertEquals(0x7F80, HalfFloats.floatToBf16(Float.MAX_VALUE));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x7F800001)))));
    }

    @Test
    void bulkNarrowingIsTheScalarOneValueByValue() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        float[] values = new float[40_000]; // more than one batch
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 97 == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextGaussian() * 0.05f;
        }
        java.nio.ShortBuffer bf = java.nio.ShortBuffer.allocate(values.length + 3).position(3);
        java.nio.ShortBuffer f16 = java.nio.ShortBuffer.allocate(values.length);
        HalfFloats.floatToBf16(values, bf);
        HalfFloats.floatToF16(values, f16);
        assertEquals(values.length + 3, bf.position(), "written from the buffer's position on");
        for (int i = 0; i < values.length; i++) {
            assertEquals(HalfFloats.floatToBf16(values[i]), bf.get(3 + i), "bf16 " + i);
            assertEquals(HalfFloats.floatToF16(values[i]), f16.get(i), "f16 " + i);
        }
    }

    @Test
    void floatToBf16RoundsToNearestEvenBetweenEveryPairOfNeighbours() {
        for (int h = 0; h < 0x7F80; h++) {
            double low = Float.intBitsToFloat(h << 16);
            double high = h == 0x7F7F ? 0x1p128 : Float.intBitsToFloat((h + 1) << 16); // past MAX_VALUE lies infinity
            float mid = (float) ((low + high) / 2);
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, HalfFloats.floatToBf16(mid), "tie above 0x" + Integer.toHexString(h));
            assertEquals(even | 0x8000, HalfFloats.floatToBf16(-mid) & 0xFFFF);
            assertEquals(h + 1, HalfFloats.floatToBf16(Math.nextUp(mid)));
            assertEquals(h, HalfFloats.floatToBf16(Math.nextDown(mid)));
        }
    }
    @Test
    void bulkBf16OnVectorsIsTheScalarForEveryPatternAndEveryTie() {
        assertTrue(HalfFloats.VECTORS, "the tests run with the vector module");
        short[] patterns = new short[1 << 16];
        for (int h = 0; h < patterns.length; h++) {
            patterns[h] = (short) h;
        }
        java.nio.FloatBuffer wide = java.nio.FloatBuffer.allocate(patterns.length);
        HalfFloats.bf16ToFloat(java.nio.ShortBuffer.wrap(patterns), wide);
        // below, at, just past and far past each pattern's halfway point, NaNs and infinities included
        int[] lows = {0, 0x7FFF, 0x8000, 0x8001, 0xFFFF};
        float[] values = new float[patterns.length * lows.length];
        for (int h = 0; h < patterns.length; h++) {
            assertEquals(Float.floatToRawIntBits(HalfFloats.bf16ToFloat(patterns[h])), Float.floatToRawIntBits(wide.get(h)), "widen " + h);
            for (int k = 0; k < lows.length; k++) {
                values[h * lows.length + k] = Float.intBitsToFloat(h << 16 | lows[k]);
            }
        }
        java.nio.ShortBuffer narrow = java.nio.ShortBuffer.allocate(values.length);
        HalfFloats.floatToBf16(values, narrow);
        for (int i = 0; i < values.length; i++) {
            assertEquals(HalfFloats.floatToBf16(values[i]), narrow.get(i), "narrow 0x" + Integer.toHexString(Float.floatToRawIntBits(values[i])));
        }
    }
}
