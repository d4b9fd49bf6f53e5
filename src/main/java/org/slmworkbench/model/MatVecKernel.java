package org.slmworkbench.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.slmworkbench.io.HalfFloats;

/**
 * The vector-API loop behind {@link MatVec}, the only class that touches {@code jdk.incubator.vector},
 * so nothing else fails to load when java runs without that module. Weights are f32, or bf16 / f16
 * widened in registers, so a 16-bit matrix is read at its own size.
 */
final class MatVecKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, SPECIES.vectorShape());
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Weight encodings, as ints so the loads below stay small static methods the JIT inlines. */
    static final int F32 = 0;
    static final int BF16 = 1;
    static final int F16 = 2;
    private static final int WARM_ROWS = 2;
    private static final int WARM_COLS = 6 * SPECIES.length() + 1;
    private static final ByteBuffer WARM_W = ByteBuffer.allocateDirect(WARM_ROWS * WARM_COLS * Float.BYTES).order(ORDER);
    private static final ByteBuffer WARM_X = ByteBuffer.allocateDirect(WARM_COLS * Float.BYTES).order(ORDER);
    private static final ByteBuffer WARM_Y = ByteBuffer.allocateDirect(WARM_ROWS * Float.BYTES).order(ORDER);

    private MatVecKernel() {}

    /** The encoding code of a precision. */
    static int encoding(Precision p) {
        return switch (p) {
            case F32 -> F32;
            case BF16 -> BF16;
            case F16 -> F16;
        };
    }

    /**
     * The smallest products that run every path of {@link #rows} for every encoding: per row two
     * double blocks, a single block and a tail. Before the kernel is compiled each vector
     * operation allocates, so warming up on this keeps the garbage small.
     */
    static void smallestProduct() {
        for (int encoding = F32; encoding <= F16; encoding++) {
            rows(WARM_W, encoding, WARM_COLS, WARM_X, WARM_Y, 0, WARM_ROWS);
        }
    }

    /**
     * {@code y[r] = Σ_c w[r, c] · x[c]} for rows {@code from..to-1} of a row-major matrix with
     * {@code cols} columns in {@code encoding}; y holds f32, all in native byte order. A block is
     * two vectors' worth of columns: for f32 two vectors of weights; for 16-bit weights one vector
     * of ints, each holding a pair of halves, split by a shift and a mask into the block's even and
     * odd columns. So x comes as {@link #blockInput}: per block, the two vectors of x that those
     * weights meet.
     *
     * <p>Rows are read one at a time, two blocks a step into four sums: one stream of weights runs
     * at about twice the speed of four rows interleaved (the earlier layout, which shared each load
     * of x) when the weights come from memory rather than cache, as they do in decoding. Each
     * encoding has its own loop, alike but for the block it reads: the JIT compiles a loop with
     * every vector operation inlined only while the loop holds one widening.
     */
    static void rows(ByteBuffer w, int encoding, int cols, ByteBuffer x, ByteBuffer y, int from, int to) {
        for (int r = from; r < to; r++) {
            float sum = switch (encoding) {
                case F32 -> rowF32(w, r * cols * Float.BYTES, cols, x);
                case BF16 -> rowBf16(w, r * cols * Short.BYTES, cols, x);
                default -> rowF16(w, r * cols * Short.BYTES, cols, x);
            };
            y.putFloat(r * Float.BYTES, sum);
        }
    }

    private static float rowF32(ByteBuffer w, int rowStart, int cols, ByteBuffer x) {
        int lanes = SPECIES.length();
        int blockEnd = blockEnd(cols);
        int vectorBytes = SPECIES.vectorByteSize();
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int c = 0;
        for (int o = rowStart; c + 4 * lanes <= blockEnd; c += 4 * lanes, o += 4 * vectorBytes) {
            int xo = c * Float.BYTES;
            a0 = FloatVector.fromByteBuffer(SPECIES, w, o, ORDER).fma(FloatVector.fromByteBuffer(SPECIES, x, xo, ORDER), a0);
            a1 = FloatVector.fromByteBuffer(SPECIES, w, o + vectorBytes, ORDER).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + vectorBytes, ORDER), a1);
            a2 = FloatVector.fromByteBuffer(SPECIES, w, o + 2 * vectorBytes, ORDER).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + 2 * vectorBytes, ORDER), a2);
            a3 = FloatVector.fromByteBuffer(SPECIES, w, o + 3 * vectorBytes, ORDER).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + 3 * vectorBytes, ORDER), a3);
        }
        if (c < blockEnd) {
            int o = rowStart + c * Float.BYTES;
            int xo = c * Float.BYTES;
            a0 = FloatVector.fromByteBuffer(SPECIES, w, o, ORDER).fma(FloatVector.fromByteBuffer(SPECIES, x, xo, ORDER), a0);
            a1 = FloatVector.fromByteBuffer(SPECIES, w, o + vectorBytes, ORDER).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + vectorBytes, ORDER), a1);
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD) + tail(w, F32, rowStart, x, blockEnd, cols);
    }

    private static float rowBf16(ByteBuffer w, int rowStart, int cols, ByteBuffer x) {
        int lanes = SPECIES.length();
        int blockEnd = blockEnd(cols);
        int blockBytes = 2 * lanes * Short.BYTES;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int c = 0;
        for (int o = rowStart; c + 4 * lanes <= blockEnd; c += 4 * lanes, o += 2 * blockBytes) {
            int xo = c * Float.BYTES;
            IntVector p = IntVector.fromByteBuffer(INTS, w, o, ORDER);
            IntVector q = IntVector.fromByteBuffer(INTS, w, o + blockBytes, ORDER);
            a0 = evenBf16(p).fma(FloatVector.fromByteBuffer(SPECIES, x, xo, ORDER), a0);
            a1 = oddBf16(p).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + lanes * Float.BYTES, ORDER), a1);
            a2 = evenBf16(q).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + 2 * lanes * Float.BYTES, ORDER), a2);
            a3 = oddBf16(q).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + 3 * lanes * Float.BYTES, ORDER), a3);
        }
        if (c < blockEnd) {
            int xo = c * Float.BYTES;
            IntVector p = IntVector.fromByteBuffer(INTS, w, rowStart + c * Short.BYTES, ORDER);
            a0 = evenBf16(p).fma(FloatVector.fromByteBuffer(SPECIES, x, xo, ORDER), a0);
            a1 = oddBf16(p).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + lanes * Float.BYTES, ORDER), a1);
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD) + tail(w, BF16, rowStart, x, blockEnd, cols);
    }

    private static float rowF16(ByteBuffer w, int rowStart, int cols, ByteBuffer x) {
        int lanes = SPECIES.length();
        int blockEnd = blockEnd(cols);
        int blockBytes = 2 * lanes * Short.BYTES;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int c = 0;
        for (int o = rowStart; c + 4 * lanes <= blockEnd; c += 4 * lanes, o += 2 * blockBytes) {
            int xo = c * Float.BYTES;
            IntVector p = IntVector.fromByteBuffer(INTS, w, o, ORDER);
            IntVector q = IntVector.fromByteBuffer(INTS, w, o + blockBytes, ORDER);
            a0 = evenF16(p).fma(FloatVector.fromByteBuffer(SPECIES, x, xo, ORDER), a0);
            a1 = oddF16(p).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + lanes * Float.BYTES, ORDER), a1);
            a2 = evenF16(q).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + 2 * lanes * Float.BYTES, ORDER), a2);
            a3 = oddF16(q).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + 3 * lanes * Float.BYTES, ORDER), a3);
        }
        if (c < blockEnd) {
            int xo = c * Float.BYTES;
            IntVector p = IntVector.fromByteBuffer(INTS, w, rowStart + c * Short.BYTES, ORDER);
            a0 = evenF16(p).fma(FloatVector.fromByteBuffer(SPECIES, x, xo, ORDER), a0);
            a1 = oddF16(p).fma(FloatVector.fromByteBuffer(SPECIES, x, xo + lanes * Float.BYTES, ORDER), a1);
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD) + tail(w, F16, rowStart, x, blockEnd, cols);
    }

    /** Columns covered by whole blocks of two vectors; the rest go through {@link #tail}. */
    static int blockEnd(int cols) {
        return cols - cols % (2 * SPECIES.length());
    }

    /**
     * x laid out for {@link #rows} in {@code encoding}: for f32 as it is; for 16-bit weights each
     * block's columns reordered even ones first, then odd ones, matching how a vector of ints splits
     * into halves (the tail keeps its order).
     */
    static void blockInput(int encoding, ByteBuffer x, int cols, ByteBuffer out) {
        int lanes = SPECIES.length();
        int blockEnd = encoding == F32 ? 0 : blockEnd(cols);
        for (int c = 0; c < blockEnd; c += 2 * lanes) {
            for (int i = 0; i < lanes; i++) {
                out.putFloat((c + i) * Float.BYTES, x.getFloat((c + 2 * i) * Float.BYTES));
                out.putFloat((c + lanes + i) * Float.BYTES, x.getFloat((c + 2 * i + 1) * Float.BYTES));
            }
        }
        for (int c = blockEnd; c < cols; c++) {
            out.putFloat(c * Float.BYTES, x.getFloat(c * Float.BYTES));
        }
    }

    /** A little-endian int holds an even column's half in its low 16 bits and the next column's in its high 16; bf16 is the top half of an f32. */
    private static FloatVector evenBf16(IntVector pairs) {
        return pairs.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static FloatVector oddBf16(IntVector pairs) {
        return pairs.and(0xFFFF0000).reinterpretAsFloats();
    }

    private static FloatVector evenF16(IntVector pairs) {
        return f16(pairs.lanewise(VectorOperators.LSHL, 16));
    }

    private static FloatVector oddF16(IntVector pairs) {
        return f16(pairs.and(0xFFFF0000));
    }

    /**
     * f16 bits in the top half of each int to f32: exponent and mantissa moved into an f32's and
     * scaled by 2^112, exact for normal and subnormal halves (weights are finite), then the sign.
     */
    private static FloatVector f16(IntVector high) {
        FloatVector magnitude = high.and(0x7FFF0000).lanewise(VectorOperators.LSHR, 3).reinterpretAsFloats().mul(0x1p112f);
        return magnitude.reinterpretAsInts().or(high.and(0x80000000)).reinterpretAsFloats();
    }

    /** The columns past the last whole vector, one at a time. */
    private static float tail(ByteBuffer w, int encoding, int rowStart, ByteBuffer x, int from, int cols) {
        float s = 0;
        for (int c = from; c < cols; c++) {
            float weight = switch (encoding) {
                case F32 -> w.getFloat(rowStart + c * Float.BYTES);
                case BF16 -> HalfFloats.bf16ToFloat(w.getShort(rowStart + c * Short.BYTES));
                default -> HalfFloats.f16ToFloat(w.getShort(rowStart + c * Short.BYTES));
            };
            s += weight * x.getFloat(c * Float.BYTES);
        }
        return s;
    }
}
