package org.slmworkbench.compress.codec;

import java.util.function.IntUnaryOperator;

/**
 * Small unsigned integers (codebook indices) packed into bytes at 1 to 8 bits each.
 *
 * <p>Layout: the indices form one bit stream, index {@code i} occupying stream bits
 * {@code [i·bits, (i+1)·bits)} with its least significant bit first; stream bit {@code j} is bit
 * {@code j % 8} (value {@code 1 << (j % 8)}) of byte {@code j / 8}. An index may straddle two
 * bytes. The final byte is padded with zero bits. A presence bitmap is the same layout at one bit.
 */
public final class BitPacking {
    public static final int MAX_BITS = 8;

    private BitPacking() {}

    /**
     * Bits per index for a codebook of {@code k} entries: ceil(log2 k), but at least 1 so that a
     * width is defined for every codebook, including the empty and single-entry ones.
     */
    public static int bitsFor(int k) {
        if (k < 0 || k > 1 << MAX_BITS) {
            throw new IllegalArgumentException(
                    "codebook size must be in 0.." + (1 << MAX_BITS) + ", got " + k);
        }
        return k <= 2 ? 1 : 32 - Integer.numberOfLeadingZeros(k - 1);
    }

    /** Bytes that {@code count} indices of {@code bits} bits pack into: ceil(count·bits / 8). */
    public static int packedLength(int count, int bits) {
        checkBits(bits);
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        // Never more than count, since bits <= 8; long keeps count·bits from overflowing.
        return (int) (((long) count * bits + 7) / 8);
    }

    /** Packs {@code indices}, each of which must lie in 0..2^bits-1. */
    public static byte[] pack(int[] indices, int bits) {
        return pack(i -> indices[i], indices.length, bits);
    }

    /**
     * Packs the {@code count} indices {@code indexOf} gives for 0..count-1, as {@link #pack(int[], int)}
     * would pack them in an array: a 65-million-weight tensor then needs no 262 MB array of indices.
     */
    public static byte[] pack(IntUnaryOperator indexOf, int count, int bits) {
        byte[] packed = new byte[packedLength(count, bits)];
        int limit = 1 << bits;
        int buffer = 0; // pending stream bits, lowest first; never more than 15
        int buffered = 0;
        int at = 0;
        for (int i = 0; i < count; i++) {
            int index = indexOf.applyAsInt(i);
            if (index < 0 || index >= limit) {
                throw new IllegalArgumentException(
                        "indices[" + i + "] = " + index + " does not fit in " + bits + " bits");
            }
            buffer |= index << buffered;
            buffered += bits;
            while (buffered >= 8) {
                packed[at++] = (byte) buffer;
                buffer >>>= 8;
                buffered -= 8;
            }
        }
        if (buffered > 0) {
            packed[at] = (byte) buffer;
        }
        return packed;
    }

    /**
     * The first {@code count} indices of {@code bits} bits from {@code packed}, which must hold at
     * least {@link #packedLength} bytes; bytes beyond that are ignored.
     */
    public static int[] unpack(byte[] packed, int count, int bits) {
        int needed = packedLength(count, bits);
        if (packed.length < needed) {
            throw new IllegalArgumentException(count + " indices of " + bits + " bits need "
                    + needed + " bytes, but only " + packed.length + " were given");
        }
        int[] indices = new int[count];
        int mask = (1 << bits) - 1;
        int buffer = 0;
        int buffered = 0;
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (buffered < bits) { // one byte always suffices, as bits <= 8
                buffer |= (packed[at++] & 0xFF) << buffered;
                buffered += 8;
            }
            indices[i] = buffer & mask;
            buffer >>>= bits;
            buffered -= bits;
        }
        return indices;
    }

    private static void checkBits(int bits) {
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException(
                    "bits per index must be in 1.." + MAX_BITS + ", got " + bits);
        }
    }
}
