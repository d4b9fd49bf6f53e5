package org.slmworkbench.model;

import java.util.Locale;
import org.slmworkbench.io.HalfFloats;

/**
 * How a weight's values are held in memory: f32, or the 16 bits a checkpoint stored them in. A
 * 16-bit weight is read by the decode kernel as it is and widened one matrix at a time for
 * multi-token passes, so a bf16 checkpoint costs its file size in memory, not twice that.
 */
public enum Precision {
    F32(4), F16(2), BF16(2);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per value. */
    public int bytes() {
        return bytes;
    }

    public boolean isHalf() {
        return this != F32;
    }

    /** The value of this precision nearest to {@code value} (exact values stay as they are). */
    public float round(float value) {
        return switch (this) {
            case F32 -> value;
            case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(value));
            case F16 -> HalfFloats.f16ToFloat(HalfFloats.floatToF16(value));
        };
    }

    /** Lower case, as the model line and the figures show it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
