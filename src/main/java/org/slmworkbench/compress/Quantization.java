package org.slmworkbench.compress;

import java.util.Locale;
import org.slmworkbench.model.Precision;

/**
 * Fewer bits per weight, the last change to a matrix (after pruning and sharing): every matrix
 * whose rows are whole blocks is held at the type's precision, in memory as in files.
 */
public enum Quantization {
    OFF(Precision.F32),
    /** The top half of each f32: exact for a bf16 checkpoint, halves an f32 one. */
    BF16(Precision.BF16),
    /** ggml's Q8_0: 8-bit values, one f16 scale per 32. */
    INT8(Precision.Q8_0),
    /** ggml's Q4_0: 4-bit values, one f16 scale per 32. */
    INT4(Precision.Q4_0);

    private final Precision precision;

    Quantization(Precision precision) {
        this.precision = precision;
    }

    /** The precision a matrix is held at. */
    public Precision precision() {
        return precision;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Quantization parse(String s) {
        for (Quantization q : values()) {
            if (q.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown quantization '" + s + "'; use off, bf16, int8 or int4");
    }
}
