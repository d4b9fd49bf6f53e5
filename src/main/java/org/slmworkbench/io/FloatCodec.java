package org.slmworkbench.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Moves floating-point tensor data between little-endian file bytes and floats, a bounded batch
 * at a time, so converting a tensor never needs a second full-size copy.
 */
final class FloatCodec {
    /** Elements converted per batch: small enough for scratch arrays, large enough to amortise calls. */
    static final int BATCH = 16 * 1024;

    private FloatCodec() {
    }

    /** Converts all of {@code src} (little-endian {@code dtype} elements) into {@code dst}. */
    static void decode(TensorDType dtype, ByteBuffer src, FloatBuffer dst) {
        ByteBuffer le = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> dst.put(le.asFloatBuffer());
            case F64 -> decodeF64(le.asDoubleBuffer(), dst);
            case F16, BF16 -> decodeHalves(dtype, le.asShortBuffer(), dst);
            default -> throw new IllegalArgumentException(dtype + " is not a floating-point type");
        }
    }

    /** Appends {@code src[offset, offset+count)} as {@code dtype} to {@code dst}, which must be little-endian. */
    static void encode(TensorDType dtype, float[] src, int offset, int count, ByteBuffer dst) {
        switch (dtype) {
            case F32 -> {
                dst.asFloatBuffer().put(src, offset, count);
                dst.position(dst.position() + count * Float.BYTES);
            }
            case F64 -> {
                for (int i = offset; i < offset + count; i++) {
                    dst.putDouble(src[i]);
                }
            }
            case F16 -> {
                for (int i = offset; i < offset + count; i++) {
                    dst.putShort(HalfFloats.floatToF16(src[i]));
                }
            }
            case BF16 -> {
                for (int i = offset; i < offset + count; i++) {
                    dst.putShort(HalfFloats.floatToBf16(src[i]));
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not a floating-point type");
        }
    }

    private static void decodeF64(DoubleBuffer src, FloatBuffer dst) {
        double[] in = new double[Math.min(BATCH, src.remaining())];
        float[] out = new float[in.length];
        while (src.hasRemaining()) {
            int n = Math.min(in.length, src.remaining());
            src.get(in, 0, n);
            for (int i = 0; i < n; i++) {
                out[i] = (float) in[i];
            }
            dst.put(out, 0, n);
        }
    }

    private static void decodeHalves(TensorDType dtype, ShortBuffer src, FloatBuffer dst) {
        if (dtype == TensorDType.F16) {
            HalfFloats.f16ToFloat(src, dst);
        } else {
            HalfFloats.bf16ToFloat(src, dst);
        }
    }
}
