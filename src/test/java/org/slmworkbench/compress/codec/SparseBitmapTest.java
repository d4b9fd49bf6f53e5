package org.slmworkbench.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SparseBitmapTest {
    private static float[] tensor(int n, double zeroFraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] dense = new float[n];
        for (int i = 0; i < n; i++) {
            dense[i] = random.nextDouble() < zeroFraction ? 0f : (float) random.nextDouble(0.5, 2)
                    * (random.nextBoolean() ? 1 : -1);
        }
        return dense;
    }

    @Test
    void roundTripsAtAnySparsityAndOddLengths() {
        for (double zeros : new double[] {0, 0.5, 1}) {
            for (int n : new int[] {0, 1, 7, 9, 1001}) {
                float[] dense = tensor(n, zeros, n);
                SparseBitmap.Encoded encoded = SparseBitmap.encode(dense);
                String where = "zeros " + zeros + ", n = " + n;
                assertEquals(n, encoded.length(), where);
                assertEquals((n + 7) / 8, encoded.bitmap().length, where);
                float[] nonZero = new float[n];
                int count = 0;
                for (float x : dense) {
                    if (x != 0) {
                        nonZero[count++] = x;
                    }
                }
                assertArrayEquals(Arrays.copyOf(nonZero, count), encoded.values(), where);
                assertArrayEquals(dense,
                        SparseBitmap.decode(encoded.bitmap(), encoded.values(), n), where);
            }
        }
        assertEquals(0, SparseBitmap.encode(tensor(1001, 1, 1)).values().length);
        assertEquals(1001, SparseBitmap.encode(tensor(1001, 0, 1)).values().length);
    }

    @Test
    void layoutIsOneBitPerElementLeastSignificantFirst() {
        float[] dense = {0, 1.5f, 0, 0, 0, 0, 0, 0, -2.5f};
        SparseBitmap.Encoded encoded = SparseBitmap.encode(dense);
        assertArrayEquals(new byte[] {0x02, 0x01}, encoded.bitmap());
        assertArrayEquals(new float[] {1.5f, -2.5f}, encoded.values());
    }

    @Test
    void negativeZeroIsZero() {
        SparseBitmap.Encoded encoded = SparseBitmap.encode(new float[] {-0f, 3f});
        assertArrayEquals(new float[] {3f}, encoded.values());
        float[] decoded = SparseBitmap.decode(encoded.bitmap(), encoded.values(), 2);
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(decoded[0]));
    }

    @Test
    void rejectsBitmapOfTheWrongSize() {
        SparseBitmap.Encoded e = SparseBitmap.encode(tensor(9, 0.5, 2));
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
                () -> SparseBitmap.decode(Arrays.copyOf(e.bitmap(), 1), e.values(), 9));
        assertTrue(shorter.getMessage().contains("must have 2 bytes, got 1"), shorter.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SparseBitmap.decode(Arrays.copyOf(e.bitmap(), 3), e.values(), 9));
        // A length far beyond the bitmap is caught before the tensor is allocated.
        assertThrows(IllegalArgumentException.class,
                () -> SparseBitmap.decode(e.bitmap(), e.values(), Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class,
                () -> SparseBitmap.decode(e.bitmap(), e.values(), -1));
    }

    @Test
    void rejectsBitsPastTheLength() {
        float[] dense = {1, 0, 0, 0, 0, 0, 0, 0, 2};
        byte[] bitmap = SparseBitmap.encode(dense).bitmap();
        bitmap[1] |= 0b10; // element 9 of a 9-element tensor
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparseBitmap.decode(bitmap, new float[] {1, 2, 3}, 9));
        assertTrue(e.getMessage().contains("past the tensor length 9"), e.getMessage());
    }

    @Test
    void rejectsValueCountThatDisagreesWithTheBitmap() {
        SparseBitmap.Encoded e = SparseBitmap.encode(tensor(1001, 0.5, 3));
        int n = e.values().length;
        IllegalArgumentException fewer = assertThrows(IllegalArgumentException.class,
                () -> SparseBitmap.decode(e.bitmap(), Arrays.copyOf(e.values(), n - 1), 1001));
        assertTrue(fewer.getMessage().contains("marks " + n + " non-zero elements but "
                + (n - 1) + " values"), fewer.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SparseBitmap.decode(e.bitmap(), Arrays.copyOf(e.values(), n + 1), 1001));
    }

    @Test
    void anySingleFlippedBitIsRejected() {
        SparseBitmap.Encoded e = SparseBitmap.encode(tensor(21, 0.5, 4));
        for (int bit = 0; bit < e.bitmap().length * 8; bit++) {
            byte[] corrupt = e.bitmap().clone();
            corrupt[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(IllegalArgumentException.class,
                    () -> SparseBitmap.decode(corrupt, e.values(), 21), "bit " + bit);
        }
    }
}
