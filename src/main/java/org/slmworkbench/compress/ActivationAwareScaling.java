package org.slmworkbench.compress;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.slmworkbench.TaskControl;
import org.slmworkbench.io.QuantBlocks;
import org.slmworkbench.model.InputScaling;
import org.slmworkbench.model.ModelConfig;
import org.slmworkbench.model.Precision;

/**
 * Activation-aware scaling before quantization (after AWQ, Lin et al. 2023): the input channels
 * that carry large activations matter most to a matrix's output, so they are scaled up by s
 * before rounding (their weights get relatively finer steps) and the same s is divided out of the
 * tensor that makes the input ({@link InputScaling}), which keeps the function exact up to the
 * rounding. Per group of matrices sharing an input, s = a^α with a the channels' activation
 * norms on the calibration text (the ones Wanda uses), normalized so that max·min = 1, and α is
 * searched on a grid for the least output error ‖(W − Ŵ)·x‖² over input vectors x sampled from the
 * same text, on a sample of rows. (Weighing each channel's error by its norm alone, as if channels
 * were independent, chose scales that made loglm-tiny's held-out loss worse than rounding.) α = 0
 * is rounding to nearest, so the measured error is never worse than that.
 */
final class ActivationAwareScaling {
    /** α from 0 to 1 in tenths. */
    private static final int GRID = 20;
    /** Rows of each matrix the error is estimated on: enough for a stable choice, few enough to search every group in seconds. */
    private static final int SAMPLED_ROWS = 128;

    /** The scale of every scaled matrix's columns and the divisor of every norm, by tensor name. */
    record Scales(Map<String, float[]> columns, Map<String, float[]> divisors) {
        /** {@code values} of {@code name} (a {@code rows × columns} matrix, or a norm's weight) with its scaling applied, in place. */
        float[] apply(String name, float[] values) {
            float[] d = divisors.get(name);
            if (d != null) {
                for (int i = 0; i < values.length; i++) {
                    values[i] /= d[i];
                }
            }
            float[] s = columns.get(name);
            if (s != null) {
                for (int i = 0; i < values.length; i++) {
                    values[i] *= s[i % s.length];
                }
            }
            return values;
        }

        boolean touches(String name) {
            return columns.containsKey(name) || divisors.containsKey(name);
        }
    }

    private ActivationAwareScaling() {}

    /**
     * The scales for the layers of {@code shape}. {@code values} gives a tensor's values as
     * pruning and sharing leave them; {@code inputs} are what calibration saw of each matrix's
     * input. A group whose norms do not fit its matrices is left to rounding to nearest.
     */
    static Scales search(ModelConfig shape, Function<String, float[]> values, WandaPruning.Inputs inputs, Precision precision,
            int workers, TaskControl control) {
        List<InputScaling> groups = new ArrayList<>();
        for (int layer = 0; layer < shape.layers(); layer++) {
            for (InputScaling group : shape.inputScalings(layer)) {
                String first = group.matrices().get(0);
                double[] a = inputs.norms().get(first);
                long cols = shape.tensorShapes().get(first).get(1);
                if (a != null && a.length == cols && cols % QuantBlocks.BLOCK == 0) {
                    groups.add(group);
                }
            }
        }
        // groups are independent: searched side by side, each result kept at its group's place
        float[][] found = new float[groups.size()][];
        List<Integer> order = IntStream.range(0, groups.size()).boxed().toList();
        Compressor.forEach(order, workers, g -> {
            control.checkpoint();
            String first = groups.get(g).matrices().get(0);
            found[g] = best(groups.get(g).matrices(), values, inputs.norms().get(first), inputs.samples().get(first), precision);
        });
        Scales scales = new Scales(new HashMap<>(), new HashMap<>());
        for (int g = 0; g < groups.size(); g++) {
            for (String m : groups.get(g).matrices()) {
                scales.columns().put(m, found[g]);
            }
            scales.divisors().put(groups.get(g).source(), found[g]);
        }
        return scales;
    }

    /** The scale of least measured error over the grid of α for matrices {@code names} (values from {@code values}) on inputs {@code x}. */
    private static float[] best(List<String> names, Function<String, float[]> values, double[] a, float[] x, Precision precision) {
        List<float[]> matrices = names.stream().map(values).toList();
        int cols = a.length;
        int samples = x.length / cols;
        // the inputs transposed, so each row's errors on all samples grow by one axpy per column (vectorized by the JIT)
        float[] xT = new float[x.length];
        for (int t = 0; t < samples; t++) {
            for (int j = 0; j < cols; j++) {
                xT[j * samples + t] = x[t * cols + j];
            }
        }
        float[] best = null;
        double bestError = Double.POSITIVE_INFINITY;
        for (int step = 0; step <= GRID; step++) {
            float[] s = scale(a, step / (double) GRID);
            double error = 0;
            for (float[] w : matrices) {
                error += error(w, cols, s, xT, samples, precision);
            }
            if (error < bestError) {
                bestError = error;
                best = s;
            }
        }
        return best;
    }

    /** s = a^α, divided by √(max·min) so that scales stay around 1; channels that never fired keep the smallest scale. */
    static float[] scale(double[] a, double alpha) {
        double[] p = new double[a.length];
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < a.length; j++) {
            p[j] = Math.pow(Math.max(a[j], 1e-8), alpha);
            max = Math.max(max, p[j]);
            min = Math.min(min, p[j]);
        }
        double norm = Math.sqrt(max * min);
        float[] s = new float[a.length];
        for (int j = 0; j < a.length; j++) {
            s[j] = (float) (p[j] / norm);
        }
        return s;
    }

    /**
     * Σ over sampled rows r and input vectors x of ((w_r − Q(w_r·s)/s) · x)²: the output error of
     * rounding {@code w} scaled by s, with {@code xT} the {@code samples} inputs as columns.
     */
    static double error(float[] w, int cols, float[] s, float[] xT, int samples, Precision precision) {
        int rows = w.length / cols;
        int stride = Math.max(1, rows / SAMPLED_ROWS);
        float[] row = new float[cols];
        float[] back = new float[cols];
        float[] e = new float[samples];
        ByteBuffer blocks = ByteBuffer.allocate(Math.toIntExact(precision.bytes(cols)));
        double error = 0;
        for (int r = 0; r < rows; r += stride) {
            for (int j = 0; j < cols; j++) {
                row[j] = w[r * cols + j] * s[j];
            }
            precision.quantize(row, 0, cols, blocks.clear());
            precision.dequantize(blocks.flip(), cols, FloatBuffer.wrap(back));
            Arrays.fill(e, 0);
            for (int j = 0; j < cols; j++) {
                float delta = w[r * cols + j] - back[j] / s[j];
                int at = j * samples;
                for (int t = 0; t < samples; t++) {
                    e[t] += delta * xT[at + t];
                }
            }
            for (int t = 0; t < samples; t++) {
                error += (double) e[t] * e[t];
            }
        }
        return error;
    }
}
