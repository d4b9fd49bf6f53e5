package org.slmworkbench.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatPlanesTest {

    @Test
    void weightLikeValuesComeBackBitForBitInFewerBytes() {
        Random r = new Random(3);
        float[] w = new float[50_000];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.02);
        }
        // the awkward values too
        w[0] = -0f;
        w[1] = Float.NaN;
        w[2] = Float.intBitsToFloat(0x7fc01234); // a NaN with a payload
        w[3] = Float.MIN_VALUE;
        w[4] = Float.NEGATIVE_INFINITY;
        FloatPlanes.Encoded e = FloatPlanes.encode(w);
        float[] back = FloatPlanes.decode(payload(e), e.lengths(), w.length);
        assertArrayEquals(bits(w), bits(back));
        // the sign-and-exponent plane shrinks; the low mantissa plane stays raw
        assertTrue(e.lengths()[3] > 0 && e.lengths()[3] < w.length / 2, Arrays.toString(e.lengths()));
        assertEquals(-1, e.lengths()[0]);
        assertTrue(e.payload().remaining() < 0.9 * 4 * w.length, e.payload().remaining() + " bytes for " + w.length + " values");
    }

    @Test
    void planesLongerThanOneInputChunkComeBackAndCountAsWritten() {
        // 3.5 chunks of a megabyte per plane, bf16-like values: the low planes are zeros (deflated
        // with LZ77), the exponent plane Huffman-coded, each fed to the Deflater a chunk at a time
        Random r = new Random(5);
        float[] w = new float[(7 << 20) / 2];
        for (int i = 0; i < w.length; i++) {
            w[i] = Float.intBitsToFloat(Float.floatToRawIntBits((float) (r.nextGaussian() * 0.02)) & 0xFFFF0000);
        }
        FloatPlanes.Encoded e = FloatPlanes.encode(w);
        assertArrayEquals(e.lengths(), FloatPlanes.lengths(w), "counted as written");
        assertTrue(e.lengths()[0] > 0 && e.lengths()[0] < w.length / 100, Arrays.toString(e.lengths()));
        assertArrayEquals(bits(w), bits(FloatPlanes.decode(payload(e), e.lengths(), w.length)));
    }

    @Test
    void incompressibleValuesStayRawAndEmptyInputWorks() {
        Random r = new Random(4);
        float[] noise = new float[4096];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = Float.intBitsToFloat(r.nextInt());
        }
        FloatPlanes.Encoded e = FloatPlanes.encode(noise);
        assertArrayEquals(new int[] {-1, -1, -1, -1}, e.lengths());
        assertArrayEquals(bits(noise), bits(FloatPlanes.decode(payload(e), e.lengths(), noise.length)));
        FloatPlanes.Encoded empty = FloatPlanes.encode(new float[0]);
        assertEquals(0, FloatPlanes.decode(payload(empty), empty.lengths(), 0).length);
    }

    @Test
    void corruptPlanesAreRefusedBeforeTheyAllocateOrDecodeWrongly() {
        float[] w = new float[10_000];
        Arrays.fill(w, 0.5f);
        FloatPlanes.Encoded e = FloatPlanes.encode(w);
        int[] l = e.lengths();
        byte[] p = payload(e);
        // lengths that do not add up to the payload
        assertRefused(p, new int[] {l[0], l[1], l[2], l[3] + 1}, w.length, "bytes but");
        // a plane that inflates to fewer values than claimed
        assertRefused(p, l, w.length + 1, "exactly");
        // a claim of a billion values from a few deflated bytes
        assertRefused(p, l, 1_000_000_000, "cannot hold");
        // flipped bits inside a deflated plane
        byte[] flipped = p.clone();
        flipped[p.length - 3] ^= 0x5A;
        assertThrows(IllegalArgumentException.class, () -> FloatPlanes.decode(flipped, l, w.length));
        assertRefused(p, new int[] {-2, l[1], l[2], l[3]}, w.length, "length -2");
        assertRefused(p, new int[] {l[0], l[1], l[2]}, w.length, "3 byte planes");
    }

    private static void assertRefused(byte[] payload, int[] lengths, int count, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FloatPlanes.decode(payload, lengths, count));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    private static byte[] payload(FloatPlanes.Encoded e) {
        java.nio.ByteBuffer b = e.payload().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }
}
