package org.slmworkbench.io;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Symmetric block quantization in ggml's two simplest layouts, byte for byte, so a quantized
 * weight in memory is also what a GGUF file holds. A block is 32 consecutive values of a row with
 * one f16 scale d:
 * <ul>
 *   <li>Q8_0, 34 bytes: d, then 32 signed bytes q; value = q · d, d = max|x| / 127.</li>
 *   <li>Q4_0, 18 bytes: d, then 16 bytes whose low nibbles are values 0..15 and high nibbles
 *       values 16..31; value = (nibble − 8) · d, d = (the value of largest magnitude) / −8, so that
 *       value lands exactly on −8 and the other side reaches +7.</li>
 * </ul>
 * Rounding follows ggml's reference quantizers (the reciprocal of the unrounded d, Q8_0 to nearest,
 * Q4_0 by adding 8.5 and truncating), so the same floats give the same bytes as llama.cpp's tools.
 * Buffers are read and written from their positions, which advance; byte order is little-endian
 * for d whatever the buffer's order.
 */
public final class QuantBlocks {
    /** Values per block in both layouts. */
    public static final int BLOCK = 32;
    public static final int Q8_0_BYTES = 2 + BLOCK;
    public static final int Q4_0_BYTES = 2 + BLOCK / 2;

    private QuantBlocks() {}

    /** Bytes that {@code values} values take in a layout of {@code blockBytes} per block; values must be whole blocks. */
    public static long bytes(long values, int blockBytes) {
        if (values % BLOCK != 0) {
            throw new IllegalArgumentException(values + " values are not whole blocks of " + BLOCK);
        }
        return values / BLOCK * blockBytes;
    }

    /** Quantizes {@code count} values (whole blocks) from {@code src[from]} on into {@code dst} as Q8_0. */
    public static void quantizeQ8_0(float[] src, int from, int count, ByteBuffer dst) {
        checkBlocks(count);
        for (int b = from; b < from + count; b += BLOCK) {
            float amax = 0;
            for (int j = 0; j < BLOCK; j++) {
                amax = Math.max(amax, Math.abs(src[b + j]));
            }
            float d = amax / 127f;
            float id = d != 0 ? 1f / d : 0f;
            putScale(dst, d);
            for (int j = 0; j < BLOCK; j++) {
                dst.put((byte) Math.round(src[b + j] * id));
            }
        }
    }

    /** Quantizes {@code count} values (whole blocks) from {@code src[from]} on into {@code dst} as Q4_0. */
    public static void quantizeQ4_0(float[] src, int from, int count, ByteBuffer dst) {
        checkBlocks(count);
        for (int b = from; b < from + count; b += BLOCK) {
            float amax = 0;
            float max = 0;
            for (int j = 0; j < BLOCK; j++) {
                float v = src[b + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0 ? 1f / d : 0f;
            putScale(dst, d);
            for (int j = 0; j < BLOCK / 2; j++) {
                int lo = Math.min(15, (int) (src[b + j] * id + 8.5f));
                int hi = Math.min(15, (int) (src[b + BLOCK / 2 + j] * id + 8.5f));
                dst.put((byte) (lo | hi << 4));
            }
        }
    }

    /** Widens {@code count} values (whole blocks) of Q8_0 from {@code src} into {@code dst}. */
    public static void dequantizeQ8_0(ByteBuffer src, int count, FloatBuffer dst) {
        dequantize(src, Q8_0_BYTES, count, dst);
    }

    /** Widens {@code count} values (whole blocks) of Q4_0 from {@code src} into {@code dst}. */
    public static void dequantizeQ4_0(ByteBuffer src, int count, FloatBuffer dst) {
        dequantize(src, Q4_0_BYTES, count, dst);
    }

    private static void dequantize(ByteBuffer src, int blockBytes, int count, FloatBuffer dst) {
        checkBlocks(count);
        byte[] values = new byte[blockBytes - 2];
        float[] block = new float[BLOCK];
        for (int b = 0; b < count; b += BLOCK) {
            float d = scale(src);
            src.get(values);
            widen(values, 0, d, blockBytes, block);
            dst.put(block);
        }
    }

    /** One block's values from {@code q[at]} on, times its scale {@code d}, into {@code out}; {@code blockBytes} says which type. */
    private static void widen(byte[] q, int at, float d, int blockBytes, float[] out) {
        if (blockBytes == Q8_0_BYTES) {
            for (int j = 0; j < BLOCK; j++) {
                out[j] = q[at + j] * d;
            }
        } else {
            for (int j = 0; j < BLOCK / 2; j++) {
                int v = q[at + j] & 0xFF;
                out[j] = ((v & 0x0F) - 8) * d;
                out[j + BLOCK / 2] = ((v >>> 4) - 8) * d;
            }
        }
    }

    /**
     * Splits blocks in ggml's layout ({@code blockBytes} per block) from {@code src} into their
     * values ({@code quants}, a block's 32 or 16 bytes after another's) and their scales widened to
     * f32 (exact): the form the decode kernel reads fastest.
     */
    public static void split(ByteBuffer src, int blockBytes, byte[] quants, float[] scales) {
        int valueBytes = blockBytes - 2;
        for (int b = 0; b < scales.length; b++) {
            scales[b] = scale(src);
            src.get(quants, b * valueBytes, valueBytes);
        }
    }

    /**
     * Widens blocks {@code first..first+count-1} of a {@link #split} tensor ({@code blockBytes} per
     * block in ggml's layout says which type) into {@code dst}.
     */
    public static void dequantize(byte[] quants, float[] scales, int blockBytes, int first, int count, FloatBuffer dst) {
        float[] block = new float[BLOCK];
        int valueBytes = blockBytes - 2;
        for (int b = first; b < first + count; b++) {
            widen(quants, b * valueBytes, scales[b], blockBytes, block);
            dst.put(block);
        }
    }

    /** The reverse of {@link #split}: ggml's blocks into {@code dst} (the scales are f16 values, so exact). */
    public static void join(byte[] quants, float[] scales, int blockBytes, ByteBuffer dst) {
        int valueBytes = blockBytes - 2;
        for (int b = 0; b < scales.length; b++) {
            putScale(dst, scales[b]);
            dst.put(quants, b * valueBytes, valueBytes);
        }
    }

    /** The f16 scale at the buffer's position, widened; advances past it. */
    public static float scale(ByteBuffer src) {
        int lo = src.get() & 0xFF;
        int hi = src.get() & 0xFF;
        return HalfFloats.f16ToFloat((short) (lo | hi << 8));
    }

    private static void putScale(ByteBuffer dst, float d) {
        short h = HalfFloats.floatToF16(d);
        dst.put((byte) h).put((byte) (h >>> 8));
    }

    private static void checkBlocks(int count) {
        if (count % BLOCK != 0) {
            throw new IllegalArgumentException(count + " values are not whole blocks of " + BLOCK);
        }
    }
}
