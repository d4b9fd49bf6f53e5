package org.slmworkbench.compress;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.slmworkbench.TaskControl;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.MatVec;
import org.slmworkbench.model.Weight;

/**
 * Wanda pruning (Sun et al., 2023): a weight's importance is |w| times the L2 norm of the input
 * feature it multiplies, measured on calibration text, and each output row loses its least
 * important fraction. Unlike plain magnitude, it keeps small weights that meet large activations.
 */
final class WandaPruning {
    /** Calibration: up to 16 windows of at most 512 tokens, 2,048 tokens in all, whatever context the model claims. */
    static final int WINDOWS = 16;
    static final int WINDOW_TOKENS = 512;
    static final int TOKENS = 2048;
    private static final int BATCH = 2;

    private WandaPruning() {}

    /** L2 norm of every input feature of every projection, by weight name, over windows spread over {@code tokens}. */
    static Map<String, double[]> inputNorms(CausalLm model, int[] tokens, TaskControl control) {
        return inputs(model, tokens, control).norms();
    }

    /**
     * What calibration sees of every projection's input: the L2 norm of each feature (Wanda's)
     * and, for the first matrix of each of the model's input scalings, a sample of whole input
     * vectors, {@link #SAMPLES} spread over the text, row after row (activation-aware quantization
     * measures its error on them; at TinyLlama's size they are 12 MB).
     */
    record Inputs(Map<String, double[]> norms, Map<String, float[]> samples) {}

    /** Input vectors sampled per scaled input. */
    static final int SAMPLES = 64;

    static Inputs inputs(CausalLm model, int[] tokens, TaskControl control) {
        int window = Math.min(WINDOW_TOKENS, Math.min(model.maxContext(), tokens.length));
        int windows = Math.max(1, Math.min(Math.min(WINDOWS, TOKENS / window), tokens.length / window));
        int every = Math.max(1, windows * window / SAMPLES);
        Map<Weight, String> names = new IdentityHashMap<>();
        model.weights().forEach((name, w) -> names.put(w, name));
        Set<String> sampled = new HashSet<>();
        for (int layer = 0; layer < model.config().layers(); layer++) {
            model.config().inputScalings(layer).forEach(s -> sampled.add(s.matrices().get(0)));
        }
        Map<String, double[]> sums = new HashMap<>();
        Map<String, ByteArrayOutputStream> rows = new HashMap<>();
        for (int w = 0; w < windows; w += BATCH) {
            control.checkpoint();
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
                model.calibrate(m.create(ids, new Shape(count, window)), (weight, input) -> {
                    int last = input.getShape().dimension() - 1;
                    int[] axes = IntStream.range(0, last).toArray();
                    float[] squares = input.square().sum(axes).toFloatArray();
                    String name = names.get(weight);
                    double[] acc = sums.computeIfAbsent(name, k -> new double[squares.length]);
                    for (int j = 0; j < squares.length; j++) {
                        acc[j] += squares[j];
                    }
                    if (sampled.contains(name)) {
                        byte[] picked = input.reshape(-1, squares.length).get(new NDIndex("::{}", every)).toByteArray();
                        rows.computeIfAbsent(name, k -> new ByteArrayOutputStream()).writeBytes(picked);
                    }
                }, control);
            }
        }
        sums.values().forEach(a -> Arrays.setAll(a, j -> Math.sqrt(a[j])));
        Map<String, float[]> samples = new HashMap<>();
        rows.forEach((name, bytes) -> {
            FloatBuffer f = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.nativeOrder()).asFloatBuffer();
            float[] v = new float[f.remaining()];
            f.get(v);
            samples.put(name, v);
        });
        return new Inputs(sums, samples);
    }

    /**
     * Prunes one tensor in place, row by row, by |w| · ‖x_j‖ in float (as Wanda's own code scores);
     * ties at a row's threshold go in index order. On vectors when this JVM has them.
     */
    static void prune(float[] w, double[] norm, double ratio) {
        int k = (int) MagnitudePruning.count(ratio, norm.length);
        if (k == 0) {
            return;
        }
        float[] scale = new float[norm.length];
        for (int j = 0; j < scale.length; j++) {
            scale[j] = (float) norm[j];
        }
        if (MatVec.available()) {
            WandaKernel.prune(w, scale, k);
        } else {
            pruneScalar(w, scale, k);
        }
    }

    /** The same without vectors. */
    static void pruneScalar(float[] w, float[] norm, int k) {
        int in = norm.length;
        float[] score = new float[in];
        float[] scratch = new float[in + 1];
        for (int base = 0; base < w.length; base += in) {
            for (int j = 0; j < in; j++) {
                score[j] = Math.abs(w[base + j]) * norm[j];
            }
            float threshold = Select.kthSmallest(score, k, scratch);
            // below the threshold without a branch (random scores mispredict half the time), then
            // the ties in index order while the row still owes zeros
            int ties = k;
            for (int j = 0; j < in; j++) {
                boolean below = score[j] < threshold;
                ties -= below ? 1 : 0;
                w[base + j] = below ? 0f : w[base + j];
            }
            for (int j = 0; j < in && ties > 0; j++) {
                if (score[j] == threshold) {
                    w[base + j] = 0f;
                    ties--;
                }
            }
        }
    }
}
