package org.slmworkbench.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DistinctFloatsTest {
    @Test
    void tellsValuesApartAsFloatEqualsDoesAndSortsAsFloatCompare() {
        DistinctFloats d = new DistinctFloats(8);
        float[] in = {1f, -0f, 0f, Float.NaN, Float.intBitsToFloat(0x7FC00001), 1f, -3.5f, 0f};
        TreeSet<Float> reference = new TreeSet<>();
        for (float v : in) {
            d.add(v);
            reference.add(v);
        }
        float[] expected = new float[reference.size()];
        int i = 0;
        for (float v : reference) {
            expected[i++] = v;
        }
        assertEquals(5, d.size(), "-0 and 0 apart, every NaN one value");
        assertArrayEquals(expected, d.sorted());
        assertFalse(d.overflowed());
        for (float v : in) {
            assertEquals(java.util.Arrays.binarySearch(expected, v), d.rankOf(v), "rank of " + v);
        }
        assertThrows(IllegalArgumentException.class, () -> d.rankOf(2f));
    }

    @Test
    void stopsGrowingOncePastTheLimit() {
        DistinctFloats d = new DistinctFloats(256);
        for (int i = 0; i < 100_000; i++) {
            d.add(i * 0.25f);
        }
        assertTrue(d.overflowed());
        assertEquals(257, d.size());
    }
}
