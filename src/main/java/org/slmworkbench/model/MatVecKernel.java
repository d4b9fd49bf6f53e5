package org.slmworkbench.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.slmworkbench.io.HalfFloats;
import org.slmworkbench.io.QuantBlocks;

/**
 * The vector-API loop behind {@link MatVec}, the only class that touches {@code jdk.incubator.vector},
 * so nothing else fails to load when java runs without that module. Weights are f32, bf16 / f16
 * widened in registers, or ggml's Q8_0 / Q4_0 blocks whose bytes are widened to floats in registers
 * (the vector API has no int8 dot product), so every matrix is read at its own size.
 */
final class MatVecKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, SPECIES.vectorShape());
    /** As many bytes as SPECIES has floats: a load of them widens to one vector of floats. */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(SPECIES.length() * Byte.SIZE));
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Weight encodings, as ints so the loads below stay small static methods the JIT inlines. */
    static final int F32 = 0;
    static final int BF16 = 1;
    static final int F16 = 2;
    static final int Q8_0 = 3;
    static final int Q4_0 = 4;
    private static final int BLOCK = QuantBlocks.BLOCK;
    private static final int WARM_ROWS = 2;
    private static final int WARM_COLS = 6 * SPECIES.length() + 1;
    /** Quantized rows: a pair of blocks and a single one, so both paths of the block loops run. */
    private static final int WARM_BLOCK_COLS = 3 * BLOCK;
    private static final byte[] WARM_QUANTS = new byte[WARM_ROWS * WARM_BLOCK_COLS];
    private static final float[] WARM_SCALES = new float[WARM_ROWS * WARM_BLOCK_COLS / BLOCK];
    private static final float[] WARM_BLOCK_X = new float[WARM_BLOCK_COLS];
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
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
        };
    }

    /** Whether {@link #rows} in {@code encoding} takes x reordered by {@link #blockInput}: for 16-bit weights only. */
    static boolean reordersInput(int encoding) {
        return encoding == BF16 || encoding == F16;
    }

    /** Bytes a row of {@code cols} weights takes in {@code encoding}. */
    static long rowBytes(int encoding, int cols) {
        return switch (encoding) {
            case F32 -> (long) cols * Float.BYTES;
            case BF16, F16 -> (long) cols * Short.BYTES;
            case Q8_0 -> QuantBlocks.bytes(cols, QuantBlocks.Q8_0_BYTES);
            default -> QuantBlocks.bytes(cols, QuantBlocks.Q4_0_BYTES);
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
        for (int encoding = Q8_0; encoding <= Q4_0; encoding++) {
            blockRows(WARM_QUANTS, WARM_SCALES, encoding, WARM_BLOCK_COLS, WARM_BLOCK_X, WARM_Y, 0, WARM_ROWS);
        }
    }

    /**
     * {@code y[r] = Σ_c w[r, c] · x[c]} for rows {@code from..to-1} of a row-major matrix with
     * {@code cols} columns in {@code encoding} (f32, bf16 or f16; block types go through
     * {@link #blockRows}); y holds f32, all in native byte order. A block is
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

    /**
     * {@link #rows} for a block type, its values in {@code q} (block after block) and scales in
     * {@code d}, x a float array: the vector API reads heap arrays about three times as fast as
     * buffers, and a scale read as an f32 instead of an f16 made the loop a quarter faster.
     */
    static void blockRows(byte[] q, float[] d, int encoding, int cols, float[] x, ByteBuffer y, int from, int to) {
        int blocks = cols / BLOCK;
        for (int r = from; r < to; r++) {
            float sum = encoding == Q8_0 ? rowQ8(q, d, r * blocks, blocks, x) : rowQ4(q, d, r * blocks, blocks, x);
            y.putFloat(r * Float.BYTES, sum);
        }
    }

    /**
     * A Q8_0 row of {@code blocks} blocks from block {@code first} on: per block, its 32 bytes
     * widened to floats times x, summed, then weighed by the block's scale into the row's sum. The
     * products of a block are independent of each other and two blocks go into two sums, so no
     * chain of dependent operations holds the loop up; everything is in this one method, since a
     * helper returning a vector that the JIT does not inline boxes it, at an allocation per block.
     */
    private static float rowQ8(byte[] q, float[] d, int first, int blocks, float[] x) {
        int lanes = SPECIES.length();
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            int o = (first + b) * BLOCK;
            int c = b * BLOCK;
            FloatVector s0 = ((FloatVector) ByteVector.fromArray(BYTES, q, o).castShape(SPECIES, 0)).mul(FloatVector.fromArray(SPECIES, x, c));
            FloatVector s1 = ((FloatVector) ByteVector.fromArray(BYTES, q, o + BLOCK).castShape(SPECIES, 0))
                    .mul(FloatVector.fromArray(SPECIES, x, c + BLOCK));
            for (int j = lanes; j < BLOCK; j += lanes) {
                s0 = s0.add(((FloatVector) ByteVector.fromArray(BYTES, q, o + j).castShape(SPECIES, 0)).mul(FloatVector.fromArray(SPECIES, x, c + j)));
                s1 = s1.add(((FloatVector) ByteVector.fromArray(BYTES, q, o + BLOCK + j).castShape(SPECIES, 0))
                        .mul(FloatVector.fromArray(SPECIES, x, c + BLOCK + j)));
            }
            a0 = s0.fma(FloatVector.broadcast(SPECIES, d[first + b]), a0);
            a1 = s1.fma(FloatVector.broadcast(SPECIES, d[first + b + 1]), a1);
        }
        if (b < blocks) {
            int o = (first + b) * BLOCK;
            int c = b * BLOCK;
            FloatVector s0 = ((FloatVector) ByteVector.fromArray(BYTES, q, o).castShape(SPECIES, 0)).mul(FloatVector.fromArray(SPECIES, x, c));
            for (int j = lanes; j < BLOCK; j += lanes) {
                s0 = s0.add(((FloatVector) ByteVector.fromArray(BYTES, q, o + j).castShape(SPECIES, 0)).mul(FloatVector.fromArray(SPECIES, x, c + j)));
            }
            a0 = s0.fma(FloatVector.broadcast(SPECIES, d[first + b]), a0);
        }
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    /**
     * A Q4_0 row, as {@link #rowQ8} with 4-bit values: byte j of a block holds value j in its low
     * nibble and value j + 16 in its high one, so one load of bytes feeds both halves of the block.
     * The nibbles are taken apart as ints: x86 has no shift of byte lanes, and the JIT's stand-in
     * made this loop a third slower.
     */
    private static float rowQ4(byte[] q, float[] d, int first, int blocks, float[] x) {
        int lanes = SPECIES.length();
        int half = BLOCK / 2;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            int o = (first + b) * half;
            int c = b * BLOCK;
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = s0;
            for (int j = 0; j < half; j += lanes) {
                IntVector i0 = (IntVector) ByteVector.fromArray(BYTES, q, o + j).castShape(INTS, 0);
                IntVector i1 = (IntVector) ByteVector.fromArray(BYTES, q, o + half + j).castShape(INTS, 0);
                s0 = s0.add(low(i0).mul(FloatVector.fromArray(SPECIES, x, c + j))).add(high(i0).mul(FloatVector.fromArray(SPECIES, x, c + half + j)));
                s1 = s1.add(low(i1).mul(FloatVector.fromArray(SPECIES, x, c + BLOCK + j)))
                        .add(high(i1).mul(FloatVector.fromArray(SPECIES, x, c + BLOCK + half + j)));
            }
            a0 = s0.fma(FloatVector.broadcast(SPECIES, d[first + b]), a0);
            a1 = s1.fma(FloatVector.broadcast(SPECIES, d[first + b + 1]), a1);
        }
        if (b < blocks) {
            int o = (first + b) * half;
            int c = b * BLOCK;
            FloatVector s0 = FloatVector.zero(SPECIES);
            for (int j = 0; j < half; j += lanes) {
                IntVector i0 = (IntVector) ByteVector.fromArray(BYTES, q, o + j).castShape(INTS, 0);
                s0 = s0.add(low(i0).mul(FloatVector.fromArray(SPECIES, x, c + j))).add(high(i0).mul(FloatVector.fromArray(SPECIES, x, c + half + j)));
            }
            a0 = s0.fma(FloatVector.broadcast(SPECIES, d[first + b]), a0);
        }
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    /** The low nibbles of sign-extended bytes, less 8, as floats. */
    private static FloatVector low(IntVector bytes) {
        return (FloatVector) bytes.and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
    }

    /** The high nibbles of sign-extended bytes, less 8, as floats (the arithmetic shift's sign bits are masked off). */
    private static FloatVector high(IntVector bytes) {
        return (FloatVector) bytes.lanewise(VectorOperators.ASHR, 4).and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
    }

    /** Columns covered by whole blocks of two vectors; the rest go through {@link #tail}. */
    static int blockEnd(int cols) {
        return cols - cols % (2 * SPECIES.length());
    }

    /**
     * x laid out for {@link #rows} in {@code encoding}: for f32 and block types as it is; for 16-bit weights each
     * block's columns reordered even ones first, then odd ones, matching how a vector of ints splits
     * into halves (the tail keeps its order).
     */
    static void blockInput(int encoding, ByteBuffer x, int cols, ByteBuffer out) {
        int lanes = SPECIES.length();
        int blockEnd = reordersInput(encoding) ? blockEnd(cols) : 0;
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
