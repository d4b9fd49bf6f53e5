package org.slmworkbench.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector-API loop behind {@link MatVec}, the only class that touches {@code jdk.incubator.vector},
 * so nothing else fails to load when java runs without that module.
 */
final class MatVecKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /**
     * Rows per sweep: eight weight streams share each load of x and keep the memory system busy
     * (on the development machine four rows streamed about 5% slower, two rows 20% slower).
     */
    static final int ROWS = 8;

    private static final int WARM_ROWS = ROWS + 1;
    private static final int WARM_COLS = SPECIES.length() + 1;
    private static final ByteBuffer WARM_W = ByteBuffer.allocateDirect(WARM_ROWS * WARM_COLS * Float.BYTES).order(ORDER);
    private static final ByteBuffer WARM_X = ByteBuffer.allocateDirect(WARM_COLS * Float.BYTES).order(ORDER);
    private static final ByteBuffer WARM_Y = ByteBuffer.allocateDirect(WARM_ROWS * Float.BYTES).order(ORDER);

    private MatVecKernel() {}

    /**
     * The smallest product that runs every path of {@link #rows}: one sweep, one single row, one
     * whole vector and a tail per row. Before the kernel is compiled each vector operation
     * allocates, so warming up on this keeps the garbage small.
     */
    static void smallestProduct() {
        rows(WARM_W, WARM_COLS, WARM_X, WARM_Y, 0, WARM_ROWS);
    }

    /**
     * {@code y[r] = Σ_c w[r, c] · x[c]} for rows {@code from..to-1} of a row-major f32 matrix with
     * {@code cols} columns; all three buffers hold f32 in native byte order.
     */
    static void rows(ByteBuffer w, int cols, ByteBuffer x, ByteBuffer y, int from, int to) {
        int rowBytes = cols * Float.BYTES;
        int vectorEnd = SPECIES.loopBound(cols);
        int r = from;
        for (; r + ROWS <= to; r += ROWS) {
            int b0 = r * rowBytes;
            int b1 = b0 + rowBytes;
            int b2 = b1 + rowBytes;
            int b3 = b2 + rowBytes;
            int b4 = b3 + rowBytes;
            int b5 = b4 + rowBytes;
            int b6 = b5 + rowBytes;
            int b7 = b6 + rowBytes;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            FloatVector a4 = FloatVector.zero(SPECIES);
            FloatVector a5 = FloatVector.zero(SPECIES);
            FloatVector a6 = FloatVector.zero(SPECIES);
            FloatVector a7 = FloatVector.zero(SPECIES);
            for (int c = 0; c < vectorEnd; c += SPECIES.length()) {
                FloatVector xv = FloatVector.fromByteBuffer(SPECIES, x, c * Float.BYTES, ORDER);
                int o = c * Float.BYTES;
                a0 = FloatVector.fromByteBuffer(SPECIES, w, b0 + o, ORDER).fma(xv, a0);
                a1 = FloatVector.fromByteBuffer(SPECIES, w, b1 + o, ORDER).fma(xv, a1);
                a2 = FloatVector.fromByteBuffer(SPECIES, w, b2 + o, ORDER).fma(xv, a2);
                a3 = FloatVector.fromByteBuffer(SPECIES, w, b3 + o, ORDER).fma(xv, a3);
                a4 = FloatVector.fromByteBuffer(SPECIES, w, b4 + o, ORDER).fma(xv, a4);
                a5 = FloatVector.fromByteBuffer(SPECIES, w, b5 + o, ORDER).fma(xv, a5);
                a6 = FloatVector.fromByteBuffer(SPECIES, w, b6 + o, ORDER).fma(xv, a6);
                a7 = FloatVector.fromByteBuffer(SPECIES, w, b7 + o, ORDER).fma(xv, a7);
            }
            y.putFloat(r * Float.BYTES, a0.reduceLanes(VectorOperators.ADD) + tail(w, b0, x, vectorEnd, cols));
            y.putFloat((r + 1) * Float.BYTES, a1.reduceLanes(VectorOperators.ADD) + tail(w, b1, x, vectorEnd, cols));
            y.putFloat((r + 2) * Float.BYTES, a2.reduceLanes(VectorOperators.ADD) + tail(w, b2, x, vectorEnd, cols));
            y.putFloat((r + 3) * Float.BYTES, a3.reduceLanes(VectorOperators.ADD) + tail(w, b3, x, vectorEnd, cols));
            y.putFloat((r + 4) * Float.BYTES, a4.reduceLanes(VectorOperators.ADD) + tail(w, b4, x, vectorEnd, cols));
            y.putFloat((r + 5) * Float.BYTES, a5.reduceLanes(VectorOperators.ADD) + tail(w, b5, x, vectorEnd, cols));
            y.putFloat((r + 6) * Float.BYTES, a6.reduceLanes(VectorOperators.ADD) + tail(w, b6, x, vectorEnd, cols));
            y.putFloat((r + 7) * Float.BYTES, a7.reduceLanes(VectorOperators.ADD) + tail(w, b7, x, vectorEnd, cols));
        }
        for (; r < to; r++) {
            int b = r * rowBytes;
            FloatVector a = FloatVector.zero(SPECIES);
            for (int c = 0; c < vectorEnd; c += SPECIES.length()) {
                a = FloatVector.fromByteBuffer(SPECIES, w, b + c * Float.BYTES, ORDER).fma(FloatVector.fromByteBuffer(SPECIES, x, c * Float.BYTES, ORDER), a);
            }
            y.putFloat(r * Float.BYTES, a.reduceLanes(VectorOperators.ADD) + tail(w, b, x, vectorEnd, cols));
        }
    }

    /** The columns past the last whole vector, one at a time. */
    private static float tail(ByteBuffer w, int rowStart, ByteBuffer x, int from, int cols) {
        float s = 0;
        for (int c = from; c < cols; c++) {
            s += w.getFloat(rowStart + c * Float.BYTES) * x.getFloat(c * Float.BYTES);
        }
        return s;
    }
}
