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
    /**
     * Rows per sweep: four weight streams share each load of x. Eight streamed f32 about 10% faster
     * on the development machine, but with the widening of 16-bit weights the JIT's inlining budget
     * ran out before the eighth row and 16-bit products ran at half speed.
     */
    static final int ROWS = 4;

    private static final int WARM_ROWS = ROWS + 1;
    private static final int WARM_COLS = 2 * SPECIES.length() + 1;
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
     * The smallest products that run every path of {@link #rows} for every encoding: one sweep, one
     * single row, one whole vector and a tail per row. Before the kernel is compiled each vector
     * operation allocates, so warming up on this keeps the garbage small.
     */
    static void smallestProduct() {
        for (int encoding = F32; encoding <= F16; encoding++) {
            rows(WARM_W, encoding, WARM_COLS, WARM_X, WARM_Y, 0, WARM_ROWS);
        }
    }

    /**
     * {@code y[r] = Σ_c w[r, c] · x[c]} for rows {@code from..to-1} of a row-major matrix with
     * {@code cols} columns in {@code encoding}; y holds f32, all in native byte order. Each step
     * takes a block of two vectors' worth of columns: for f32 two vectors of weights; for 16-bit
     * weights one vector of ints, each holding a pair of halves, split by a shift and a mask into
     * the block's even and odd columns. So x comes as {@link #blockInput}: per block, the two
     * vectors of x that those weights meet.
     *
     * <p>Each encoding has its own loop, alike but for the block it calls: the JIT compiles a loop
     * with every vector operation inlined only while the loop holds one widening; with all three in
     * one method a process that had used two ran 16-bit products eight times slower.
     */
    static void rows(ByteBuffer w, int encoding, int cols, ByteBuffer x, ByteBuffer y, int from, int to) {
        switch (encoding) {
            case F32 -> rowsF32(w, cols, x, y, from, to);
            case BF16 -> rowsBf16(w, cols, x, y, from, to);
            default -> rowsF16(w, cols, x, y, from, to);
        }
    }

    private static void rowsF32(ByteBuffer w, int cols, ByteBuffer x, ByteBuffer y, int from, int to) {
        int rowBytes = cols * Float.BYTES;
        int lanes = SPECIES.length();
        int blockEnd = blockEnd(cols);
        int blockBytes = 2 * lanes * Float.BYTES;
        int r = from;
        for (; r + ROWS <= to; r += ROWS) {
            int b0 = r * rowBytes;
            int b1 = b0 + rowBytes;
            int b2 = b1 + rowBytes;
            int b3 = b2 + rowBytes;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            for (int c = 0, o = 0; c < blockEnd; c += 2 * lanes, o += blockBytes) {
                FloatVector x1 = FloatVector.fromByteBuffer(SPECIES, x, c * Float.BYTES, ORDER);
                FloatVector x2 = FloatVector.fromByteBuffer(SPECIES, x, (c + lanes) * Float.BYTES, ORDER);
                a0 = blockF32(w, b0 + o, x1, x2, a0);
                a1 = blockF32(w, b1 + o, x1, x2, a1);
                a2 = blockF32(w, b2 + o, x1, x2, a2);
                a3 = blockF32(w, b3 + o, x1, x2, a3);
            }
            finish(y, r, w, F32, x, blockEnd, cols, a0, a1, a2, a3);
        }
        for (; r < to; r++) {
            int b = r * rowBytes;
            FloatVector a = FloatVector.zero(SPECIES);
            for (int c = 0, o = 0; c < blockEnd; c += 2 * lanes, o += blockBytes) {
                a = blockF32(w, b + o, FloatVector.fromByteBuffer(SPECIES, x, c * Float.BYTES, ORDER),
                        FloatVector.fromByteBuffer(SPECIES, x, (c + lanes) * Float.BYTES, ORDER), a);
            }
            y.putFloat(r * Float.BYTES, a.reduceLanes(VectorOperators.ADD) + tail(w, F32, b, x, blockEnd, cols));
        }
    }

    private static void rowsBf16(ByteBuffer w, int cols, ByteBuffer x, ByteBuffer y, int from, int to) {
        int rowBytes = cols * Short.BYTES;
        int lanes = SPECIES.length();
        int blockEnd = blockEnd(cols);
        int blockBytes = 2 * lanes * Short.BYTES;
        int r = from;
        for (; r + ROWS <= to; r += ROWS) {
            int b0 = r * rowBytes;
            int b1 = b0 + rowBytes;
            int b2 = b1 + rowBytes;
            int b3 = b2 + rowBytes;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            for (int c = 0, o = 0; c < blockEnd; c += 2 * lanes, o += blockBytes) {
                FloatVector x1 = FloatVector.fromByteBuffer(SPECIES, x, c * Float.BYTES, ORDER);
                FloatVector x2 = FloatVector.fromByteBuffer(SPECIES, x, (c + lanes) * Float.BYTES, ORDER);
                a0 = blockBf16(w, b0 + o, x1, x2, a0);
                a1 = blockBf16(w, b1 + o, x1, x2, a1);
                a2 = blockBf16(w, b2 + o, x1, x2, a2);
                a3 = blockBf16(w, b3 + o, x1, x2, a3);
            }
            finish(y, r, w, BF16, x, blockEnd, cols, a0, a1, a2, a3);
        }
        for (; r < to; r++) {
            int b = r * rowBytes;
            FloatVector a = FloatVector.zero(SPECIES);
            for (int c = 0, o = 0; c < blockEnd; c += 2 * lanes, o += blockBytes) {
                a = blockBf16(w, b + o, FloatVector.fromByteBuffer(SPECIES, x, c * Float.BYTES, ORDER),
                        FloatVector.fromByteBuffer(SPECIES, x, (c + lanes) * Float.BYTES, ORDER), a);
            }
            y.putFloat(r * Float.BYTES, a.reduceLanes(VectorOperators.ADD) + tail(w, BF16, b, x, blockEnd, cols));
        }
    }

    private static void rowsF16(ByteBuffer w, int cols, ByteBuffer x, ByteBuffer y, int from, int to) {
        int rowBytes = cols * Short.BYTES;
        int lanes = SPECIES.length();
        int blockEnd = blockEnd(cols);
        int blockBytes = 2 * lanes * Short.BYTES;
        int r = from;
        for (; r + ROWS <= to; r += ROWS) {
            int b0 = r * rowBytes;
            int b1 = b0 + rowBytes;
            int b2 = b1 + rowBytes;
            int b3 = b2 + rowBytes;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            for (int c = 0, o = 0; c < blockEnd; c += 2 * lanes, o += blockBytes) {
                FloatVector x1 = FloatVector.fromByteBuffer(SPECIES, x, c * Float.BYTES, ORDER);
                FloatVector x2 = FloatVector.fromByteBuffer(SPECIES, x, (c + lanes) * Float.BYTES, ORDER);
                a0 = blockF16(w, b0 + o, x1, x2, a0);
                a1 = blockF16(w, b1 + o, x1, x2, a1);
                a2 = blockF16(w, b2 + o, x1, x2, a2);
                a3 = blockF16(w, b3 + o, x1, x2, a3);
            }
            finish(y, r, w, F16, x, blockEnd, cols, a0, a1, a2, a3);
        }
        for (; r < to; r++) {
            int b = r * rowBytes;
            FloatVector a = FloatVector.zero(SPECIES);
            for (int c = 0, o = 0; c < blockEnd; c += 2 * lanes, o += blockBytes) {
                a = blockF16(w, b + o, FloatVector.fromByteBuffer(SPECIES, x, c * Float.BYTES, ORDER),
                        FloatVector.fromByteBuffer(SPECIES, x, (c + lanes) * Float.BYTES, ORDER), a);
            }
            y.putFloat(r * Float.BYTES, a.reduceLanes(VectorOperators.ADD) + tail(w, F16, b, x, blockEnd, cols));
        }
    }

    /** Writes the four sums of a sweep, each with its row's tail. */
    private static void finish(ByteBuffer y, int r, ByteBuffer w, int encoding, ByteBuffer x, int blockEnd, int cols,
            FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
        int rowBytes = cols * (encoding == F32 ? Float.BYTES : Short.BYTES);
        int b0 = r * rowBytes;
        y.putFloat(r * Float.BYTES, a0.reduceLanes(VectorOperators.ADD) + tail(w, encoding, b0, x, blockEnd, cols));
        y.putFloat((r + 1) * Float.BYTES, a1.reduceLanes(VectorOperators.ADD) + tail(w, encoding, b0 + rowBytes, x, blockEnd, cols));
        y.putFloat((r + 2) * Float.BYTES, a2.reduceLanes(VectorOperators.ADD) + tail(w, encoding, b0 + 2 * rowBytes, x, blockEnd, cols));
        y.putFloat((r + 3) * Float.BYTES, a3.reduceLanes(VectorOperators.ADD) + tail(w, encoding, b0 + 3 * rowBytes, x, blockEnd, cols));
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

    private static FloatVector blockF32(ByteBuffer w, int offset, FloatVector x1, FloatVector x2, FloatVector acc) {
        return FloatVector.fromByteBuffer(SPECIES, w, offset + SPECIES.vectorByteSize(), ORDER)
                .fma(x2, FloatVector.fromByteBuffer(SPECIES, w, offset, ORDER).fma(x1, acc));
    }

    /** A little-endian int holds an even column's half in its low 16 bits and the next column's in its high 16; bf16 is the top half of an f32. */
    private static FloatVector blockBf16(ByteBuffer w, int offset, FloatVector x1, FloatVector x2, FloatVector acc) {
        IntVector pairs = IntVector.fromByteBuffer(INTS, w, offset, ORDER);
        FloatVector even = pairs.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
        FloatVector odd = pairs.and(0xFFFF0000).reinterpretAsFloats();
        return odd.fma(x2, even.fma(x1, acc));
    }

    private static FloatVector blockF16(ByteBuffer w, int offset, FloatVector x1, FloatVector x2, FloatVector acc) {
        IntVector pairs = IntVector.fromByteBuffer(INTS, w, offset, ORDER);
        return f16(pairs.and(0xFFFF0000)).fma(x2, f16(pairs.lanewise(VectorOperators.LSHL, 16)).fma(x1, acc));
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
