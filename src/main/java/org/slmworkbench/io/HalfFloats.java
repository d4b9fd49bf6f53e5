package org.slmworkbench.io;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Conversions between float and the two 16-bit float formats found in safetensors files:
 * IEEE 754 binary16 (F16) and bfloat16 (BF16, the top half of a binary32). Java 17 has no
 * {@code Float.float16ToFloat}, so these are written out. Narrowing rounds to nearest, ties to even;
 * NaN stays NaN (made quiet) and infinities stay infinite.
 */
public final class HalfFloats {
    /** Every F16 bit pattern widened once, so bulk decoding is a table lookup. */
    private static final float[] F16_TO_FLOAT = new float[1 << 16];
    /** Values widened per batch in bulk conversions. */
    private static final int BATCH = 16 * 1024;
    /** Whether this JVM has the vector API, and BF16 batches convert on it ({@link HalfFloatVectors}). */
    static final boolean VECTORS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static {
        for (int h = 0; h < F16_TO_FLOAT.length; h++) {
            F16_TO_FLOAT[h] = computeF16ToFloat(h);
        }
    }

    private HalfFloats() {
    }

    /** The exact float value of an F16 bit pattern (the low 16 bits of {@code bits}). */
    public static float f16ToFloat(short bits) {
        return F16_TO_FLOAT[bits & 0xFFFF];
    }

    /** The F16 nearest to {@code value}; values beyond ±65520 become ±infinity. */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            // Keep the top NaN payload bits; set the quiet bit so a NaN never turns into infinity.
            return (short) (sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            // Result is subnormal (or zero): value = m * 2^-24 with m the rounded significand.
            if (halfExponent < -10) {
                return (short) sign; // below half the smallest subnormal
            }
            int significand = mantissa | 0x800000;
            int m = roundShiftRight(significand, 14 - halfExponent);
            return (short) (sign | m); // m == 0x400 is correctly the smallest normal
        }
        // A carry out of the mantissa bumps the exponent, up to infinity, which is the right answer.
        int rounded = roundShiftRight((halfExponent << 23) | mantissa, 13);
        return (short) (sign | rounded);
    }

    /** The float a BF16 bit pattern stands for (exact: BF16 is a truncated float). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The BF16 nearest to {@code value}, ties to even. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x0040); // NaN stays NaN (quiet)
        }
        // round to nearest even on the whole pattern: the carry never reaches the sign, as only
        // NaN patterns lie above the largest finite magnitude plus half a unit; no branches, so
        // narrowing a tensor runs as fast as copying it
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** Widens the remaining BF16 values of {@code src} into {@code dst}, advancing both. */
    public static void bf16ToFloat(ShortBuffer src, FloatBuffer dst) {
        widen(src, dst, true);
    }

    /** Widens the remaining F16 values of {@code src} into {@code dst}, advancing both. */
    public static void f16ToFloat(ShortBuffer src, FloatBuffer dst) {
        widen(src, dst, false);
    }

    /** In batches through two small arrays: bulk buffer moves and a plain loop the JIT vectorizes. */
    private static void widen(ShortBuffer src, FloatBuffer dst, boolean bf16) {
        short[] in = new short[Math.min(BATCH, src.remaining())];
        float[] out = new float[in.length];
        while (src.hasRemaining()) {
            int n = Math.min(in.length, src.remaining());
            src.get(in, 0, n);
            if (bf16 && VECTORS) {
                HalfFloatVectors.bf16ToFloat(in, out, n);
            } else if (bf16) {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(in[i] << 16);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = F16_TO_FLOAT[in[i] & 0xFFFF];
                }
            }
            dst.put(out, 0, n);
        }
    }

    /** Narrows {@code values} into {@code dst} from its position on (round to nearest, ties to even), advancing it. */
    public static void floatToBf16(float[] values, ShortBuffer dst) {
        narrow(values, dst, true);
    }

    /** The same to F16. */
    public static void floatToF16(float[] values, ShortBuffer dst) {
        narrow(values, dst, false);
    }

    /** In batches through a small array, so the buffer sees bulk moves, not one bounds-checked put per value. */
    private static void narrow(float[] values, ShortBuffer dst, boolean bf16) {
        short[] out = new short[Math.min(BATCH, values.length)];
        for (int start = 0; start < values.length; start += out.length) {
            int n = Math.min(out.length, values.length - start);
            if (bf16 && VECTORS) {
                HalfFloatVectors.floatToBf16(values, start, out, n);
            } else if (bf16) {
                for (int i = 0; i < n; i++) {
                    out[i] = floatToBf16(values[start + i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = floatToF16(values[start + i]);
                }
            }
            dst.put(out, 0, n);
        }
    }

    /** {@code value >>> shift} rounded to nearest, ties to even; value is non-negative, 1 ≤ shift ≤ 30. */
    private static int roundShiftRight(int value, int shift) {
        int kept = value >>> shift;
        int dropped = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (dropped > half || (dropped == half && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }

    private static float computeF16ToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Subnormal or zero: mantissa * 2^-24, exact in float; copySign keeps -0.
            return Math.copySign(mantissa * 0x1p-24f, sign == 0 ? 1f : -1f);
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }
}
