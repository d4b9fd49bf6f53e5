package org.slmworkbench.io;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * BF16 to float and back a vector of values at a time, with {@link HalfFloats}' rounding: the
 * scalar loops did not vectorize, and compressing a billion-parameter bf16 model widens every
 * matrix and narrows every matrix it builds (a third of structured pruning's time at TinyLlama's
 * shape). Loaded only when the JVM has the vector module ({@link HalfFloats#VECTORS}).
 */
final class HalfFloatVectors {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** As many shorts as the preferred shape holds floats, in half its bits. */
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

    private HalfFloatVectors() {}

    /** {@code out[i] = } the float of BF16 pattern {@code in[i]}, i < n. */
    static void bf16ToFloat(short[] in, float[] out, int n) {
        int i = 0;
        for (; i + S.length() <= n; i += S.length()) {
            IntVector wide = (IntVector) ShortVector.fromArray(S, in, i).convertShape(VectorOperators.S2I, I, 0);
            wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = Float.intBitsToFloat(in[i] << 16);
        }
    }

    /** {@code out[i] = } {@link HalfFloats#floatToBf16} of {@code values[from + i]}, i < n. */
    static void floatToBf16(float[] values, int from, short[] out, int n) {
        int i = 0;
        for (; i + F.length() <= n; i += F.length()) {
            IntVector bits = FloatVector.fromArray(F, values, from + i).reinterpretAsInts();
            IntVector top = bits.lanewise(VectorOperators.LSHR, 16);
            IntVector rounded = bits.add(0x7FFF).add(top.and(1)).lanewise(VectorOperators.LSHR, 16);
            VectorMask<Integer> nan = bits.and(0x7FFFFFFF).compare(VectorOperators.GT, 0x7F800000);
            IntVector narrowed = rounded.blend(top.or(0x0040), nan);
            ((ShortVector) narrowed.convertShape(VectorOperators.I2S, S, 0)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = HalfFloats.floatToBf16(values[from + i]);
        }
    }
}
