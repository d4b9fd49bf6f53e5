package org.slmworkbench.model;

import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Locale;
import org.slmworkbench.io.HalfFloats;
import org.slmworkbench.io.QuantBlocks;

/**
 * How a weight's values are held in memory: f32, the 16 bits a checkpoint stored them in, or
 * quantized in ggml's blocks of 32 ({@link QuantBlocks}: Q8_0 at 8.5 bits a weight, Q4_0 at 4.5).
 * Anything but f32 is read by the decode kernel as it is and widened one matrix at a time for
 * multi-token passes, so a weight costs its stored size in memory.
 */
public enum Precision {
    F32(4, 1), F16(2, 1), BF16(2, 1), Q8_0(QuantBlocks.Q8_0_BYTES, QuantBlocks.BLOCK), Q4_0(QuantBlocks.Q4_0_BYTES, QuantBlocks.BLOCK);

    private final int unitBytes;
    private final int unitValues;

    Precision(int unitBytes, int unitValues) {
        this.unitBytes = unitBytes;
        this.unitValues = unitValues;
    }

    /** Bytes {@code values} values take (for a block type, whole blocks of them). */
    public long bytes(long values) {
        return isBlocks() ? QuantBlocks.bytes(values, unitBytes) : values * unitBytes;
    }

    /** Bits a value takes, scales included, as the model line shows it: 32, 16, 8.5 or 4.5. */
    public String bitsLabel() {
        long halves = bytes(unitValues) * 8 * 2 / unitValues; // in halves of a bit
        return halves % 2 == 0 ? Long.toString(halves / 2) : (halves / 2) + ".5";
    }

    /** True when the values must be widened to f32 before PyTorch computes with them. */
    public boolean needsWidening() {
        return this != F32;
    }

    /** True for the quantized types, stored in blocks of 32 values along each row. */
    public boolean isBlocks() {
        return unitValues > 1;
    }

    /** {@code count} values (whole blocks) from {@code src[from]} on into {@code dst} as this block type's blocks. */
    public void quantize(float[] src, int from, int count, ByteBuffer dst) {
        switch (this) {
            case Q8_0 -> QuantBlocks.quantizeQ8_0(src, from, count, dst);
            case Q4_0 -> QuantBlocks.quantizeQ4_0(src, from, count, dst);
            default -> throw new IllegalStateException(label() + " is not a block type");
        }
    }

    /** {@code count} values (whole blocks) of this block type from {@code src} widened into {@code dst}. */
    public void dequantize(ByteBuffer src, int count, FloatBuffer dst) {
        switch (this) {
            case Q8_0 -> QuantBlocks.dequantizeQ8_0(src, count, dst);
            case Q4_0 -> QuantBlocks.dequantizeQ4_0(src, count, dst);
            default -> throw new IllegalStateException(label() + " is not a block type");
        }
    }

    /** Whether a tensor of {@code shape} can be held at this precision: a block type needs matrices with rows of whole blocks. */
    public boolean fits(Shape shape) {
        return !isBlocks() || shape.dimension() == 2 && shape.get(1) % unitValues == 0;
    }

    /** The value of this precision nearest to {@code value} (exact values stay as they are); for block types, see {@link QuantBlocks}. */
    public float round(float value) {
        return switch (this) {
            case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(value));
            case F16 -> HalfFloats.f16ToFloat(HalfFloats.floatToF16(value));
            default -> value;
        };
    }

    /** Lower case, as the model line, the figures and the compact format show it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
