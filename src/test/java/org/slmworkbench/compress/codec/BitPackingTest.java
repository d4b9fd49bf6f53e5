package org.slmworkbench.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BitPackingTest {
    private static final int[] ODD_LENGTHS = {0, 1, 7, 9, 1001};

    @Test
    void bitsForIsCeilLog2WithAtLeastOneBit() {
        int[][] cases = {{0, 1}, {1, 1}, {2, 1}, {3, 2}, {4, 2}, {5, 3}, {8, 3}, {9, 4}, {16, 4},
            {17, 5}, {128, 7}, {129, 8}, {256, 8}};
        for (int[] c : cases) {
            assertEquals(c[1], BitPacking.bitsFor(c[0]), "k = " + c[0]);
        }
        assertThrows(IllegalArgumentException.class, () -> BitPacking.bitsFor(257));
        assertThrows(IllegalArgumentException.class, () -> BitPacking.bitsFor(-1));
    }

    @Test
    void roundTripsEveryWidthAtOddLengths() {
        SplittableRandom random = new SplittableRandom(7);
        for (int bits = 1; bits <= 8; bits++) {
            for (int n : ODD_LENGTHS) {
                int[] indices = random.ints(n, 0, 1 << bits).toArray();
                byte[] packed = BitPacking.pack(indices, bits);
                assertEquals((n * bits + 7) / 8, packed.length, bits + " bits, n = " + n);
                assertArrayEquals(indices, BitPacking.unpack(packed, n, bits),
                        bits + " bits, n = " + n);
            }
        }
    }

    @Test
    void roundTripsTheLargestIndexOfEveryWidth() {
        for (int bits = 1; bits <= 8; bits++) {
            int[] indices = new int[9];
            Arrays.fill(indices, (1 << bits) - 1);
            assertArrayEquals(indices, BitPacking.unpack(BitPacking.pack(indices, bits), 9, bits));
        }
    }

    @Test
    void layoutIsLeastSignificantBitFirst() {
        assertArrayEquals(new byte[] {0x21, 0x03}, BitPacking.pack(new int[] {1, 2, 3}, 4));
        assertArrayEquals(new byte[] {0b0000_1101, 0b0000_0001},
                BitPacking.pack(new int[] {1, 0, 1, 1, 0, 0, 0, 0, 1}, 1));
        // 3-bit values straddle bytes: 5 | 6 << 3 | 7 << 6 = 0x1F5 over two bytes.
        assertArrayEquals(new byte[] {(byte) 0xF5, 0x01}, BitPacking.pack(new int[] {5, 6, 7}, 3));
        assertArrayEquals(new int[] {5, 6, 7},
                BitPacking.unpack(new byte[] {(byte) 0xF5, 0x01}, 3, 3));
    }

    @Test
    void unpackRejectsTooFewBytes() {
        int[] indices = new SplittableRandom(5).ints(1001, 0, 32).toArray();
        byte[] packed = BitPacking.pack(indices, 5);
        for (int length : new int[] {0, 1, packed.length - 1}) {
            byte[] truncated = Arrays.copyOf(packed, length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BitPacking.unpack(truncated, 1001, 5));
            assertTrue(e.getMessage().contains("need " + packed.length + " bytes"), e.getMessage());
        }
        // A huge count from a corrupt header fails on the length check, before any allocation.
        assertThrows(IllegalArgumentException.class,
                () -> BitPacking.unpack(packed, Integer.MAX_VALUE, 8));
    }

    @Test
    void rejectsBadWidthsCountsAndIndices() {
        assertThrows(IllegalArgumentException.class, () -> BitPacking.pack(new int[] {0}, 0));
        assertThrows(IllegalArgumentException.class, () -> BitPacking.pack(new int[] {0}, 9));
        assertThrows(IllegalArgumentException.class, () -> BitPacking.unpack(new byte[1], 1, 9));
        assertThrows(IllegalArgumentException.class, () -> BitPacking.unpack(new byte[1], -1, 4));
        IllegalArgumentException tooWide = assertThrows(IllegalArgumentException.class,
                () -> BitPacking.pack(new int[] {3, 16}, 4));
        assertTrue(tooWide.getMessage().contains("indices[1] = 16"), tooWide.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BitPacking.pack(new int[] {-1}, 8));
    }
}
