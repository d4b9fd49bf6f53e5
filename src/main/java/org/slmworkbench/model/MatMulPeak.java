package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * This machine's f32 matrix-multiply speed, measured now with one plain large product through the
 * same PyTorch and threads the model uses: what a training speed is set against.
 */
public final class MatMulPeak {
    /** Rows, inner and output width of the product timed: 256 tokens through TinyLlama's MLP. */
    public static final int ROWS = 256;
    public static final int INNER = 2048;
    public static final int COLUMNS = 5632;
    private static final int WARMUP = 3;
    private static final int RUNS = 9;

    private MatMulPeak() {}

    /** The median speed of a ROWS×INNER by INNER×COLUMNS product over a few runs, in GFLOP/s. */
    public static double gflops() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(ROWS, INNER));
            NDArray b = m.randomUniform(-1, 1, new Shape(INNER, COLUMNS));
            double[] seconds = new double[RUNS];
            for (int i = -WARMUP; i < RUNS; i++) {
                long t0 = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // waits for the product
                }
                if (i >= 0) {
                    seconds[i] = (System.nanoTime() - t0) / 1e9;
                }
            }
            Arrays.sort(seconds);
            return 2.0 * ROWS * INNER * COLUMNS / seconds[RUNS / 2] / 1e9;
        }
    }
}
