package org.slmworkbench.compress;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.slmworkbench.model.CausalLm;

/**
 * Wanda pruning (Sun et al., 2023): a weight's importance is |w| times the L2 norm of the input
 * feature it multiplies, measured on calibration text, and each output row loses its least
 * important fraction. Unlike plain magnitude, it keeps small weights that meet large activations.
 */
final class WandaPruning {
    private static final int WINDOWS = 16;
    private static final int BATCH = 4;

    private WandaPruning() {}

    /** L2 norm of every input feature of every projection over up to 16 windows of {@code tokens}. */
    static Map<String, double[]> inputNorms(CausalLm model, int[] tokens) {
        int window = Math.min(model.maxContext(), tokens.length);
        int windows = Math.max(1, Math.min(WINDOWS, tokens.length / window));
        Map<String, double[]> sums = new HashMap<>();
        for (int w = 0; w < windows; w += BATCH) {
            int count = Math.min(BATCH, windows - w);
            long[] ids = new long[count * window];
            for (int b = 0; b < count; b++) {
                // windows spread evenly over the calibration text
                int start = (int) ((long) (w + b) * (tokens.length - window) / Math.max(1, windows - 1));
                for (int t = 0; t < window; t++) {
                    ids[b * window + t] = tokens[start + t];
                }
            }
            try (NDManager m = model.manager().newSubManager()) {
                model.calibrate(m.create(ids, new Shape(count, window)), (name, input) -> {
                    int last = input.getShape().dimension() - 1;
                    int[] axes = IntStream.range(0, last).toArray();
                    float[] squares = input.square().sum(axes).toFloatArray();
                    double[] acc = sums.computeIfAbsent(name, k -> new double[squares.length]);
                    for (int j = 0; j < squares.length; j++) {
                        acc[j] += squares[j];
                    }
                });
            }
        }
        sums.values().forEach(a -> Arrays.setAll(a, j -> Math.sqrt(a[j])));
        return sums;
    }

    /** Prunes each tensor of {@code weights} in place, row by row, by |w| · ‖x_j‖. */
    static void prune(Map<String, float[]> weights, Map<String, double[]> norms, double ratio) {
        weights.forEach((name, w) -> {
            double[] norm = norms.get(name);
            int in = norm.length;
            int k = MagnitudePruning.count(ratio, in);
            double[] score = new double[in];
            for (int row = 0; row < w.length / in; row++) {
                int base = row * in;
                for (int j = 0; j < in; j++) {
                    score[j] = Math.abs(w[base + j]) * norm[j];
                }
                int[] order = IntStream.range(0, in).boxed()
                        .sorted((a, b) -> score[a] != score[b] ? Double.compare(score[a], score[b]) : Integer.compare(a, b))
                        .mapToInt(Integer::intValue).toArray();
                for (int i = 0; i < k; i++) {
                    w[base + order[i]] = 0f;
                }
            }
        });
    }
}
