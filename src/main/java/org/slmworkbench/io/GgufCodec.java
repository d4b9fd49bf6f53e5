package org.slmworkbench.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Floats to and from the bytes of each {@link GgufType}, little-endian; quantized types through {@link QuantBlocks}. */
final class GgufCodec {
    private GgufCodec() {}

    /** {@code values} (whole rows of whole blocks) as {@code type}, in a new buffer at position 0. */
    static ByteBuffer encode(GgufType type, float[] values) {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(type.byteCount(values.length))).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> out.asFloatBuffer().put(values);
            case F16 -> HalfFloats.floatToF16(values, out.asShortBuffer());
            case BF16 -> HalfFloats.floatToBf16(values, out.asShortBuffer());
            case Q8_0 -> QuantBlocks.quantizeQ8_0(values, 0, values.length, out.duplicate().order(ByteOrder.LITTLE_ENDIAN));
            case Q4_0 -> QuantBlocks.quantizeQ4_0(values, 0, values.length, out.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        }
        return out;
    }

    /** The {@code count} values that {@code src} (from its position) holds as {@code type}, widened to floats. */
    static float[] decode(GgufType type, ByteBuffer src, int count) {
        ByteBuffer le = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[count];
        FloatBuffer dst = FloatBuffer.wrap(values);
        switch (type) {
            case F32 -> dst.put(le.asFloatBuffer().limit(count));
            case F16 -> HalfFloats.f16ToFloat(le.asShortBuffer().limit(count), dst);
            case BF16 -> HalfFloats.bf16ToFloat(le.asShortBuffer().limit(count), dst);
            case Q8_0 -> QuantBlocks.dequantizeQ8_0(le, count, dst);
            case Q4_0 -> QuantBlocks.dequantizeQ4_0(le, count, dst);
        }
        return values;
    }
}
