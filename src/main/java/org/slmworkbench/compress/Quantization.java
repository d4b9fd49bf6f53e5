package org.slmworkbench.compress;

import java.util.Locale;
import org.slmworkbench.model.Precision;

/**
 * Fewer bits per weight, the last change to a matrix (after pruning and sharing): every matrix
 * whose rows are whole blocks is held at the type's precision, in memory as in files. Rounding is
 * to nearest, or activation-aware ({@code :awq}): input channels that calibration text shows to
 * carry large activations are scaled up before rounding, and the scale is divided out of what
 * feeds them ({@link ActivationAwareScaling}).
 */
public enum Quantization {
    OFF(Precision.F32, false),
    /** The top half of each f32: exact for a bf16 checkpoint, halves an f32 one. */
    BF16(Precision.BF16, false),
    /** ggml's Q8_0: 8-bit values, one f16 scale per 32. */
    INT8(Precision.Q8_0, false),
    INT8_AWQ(Precision.Q8_0, true),
    /** ggml's Q4_0: 4-bit values, one f16 scale per 32. */
    INT4(Precision.Q4_0, false),
    INT4_AWQ(Precision.Q4_0, true);

    private final Precision precision;
    private final boolean activationAware;

    Quantization(Precision precision, boolean activationAware) {
        this.precision = precision;
        this.activationAware = activationAware;
    }

    /** The precision a matrix is held at. */
    public Precision precision() {
        return precision;
    }

    /** True when input channels are scaled by their activations before rounding (needs calibration text). */
    public boolean activationAware() {
        return activationAware;
    }

    /** As the setting string writes it: {@code int4}, {@code int4:awq} … */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', ':');
    }

    public static Quantization parse(String s) {
        for (Quantization q : values()) {
            if (q.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown quantization '" + s + "'; use off, bf16, int8, int8:awq, int4 or int4:awq");
    }
}
