package org.slmworkbench.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.Engines;

/**
 * What recovery fine-tuning of a compressed model keeps fixed: pruned weights stay exactly zero,
 * and a weight-shared tensor keeps one value per cluster while the clusters' values learn (each
 * becomes the mean of its weights after the optimizer step).
 *
 * <p>The constraints are read off the weights themselves, zeros as the mask and equal values as a
 * cluster, so a model fresh from the {@link Compressor} and a checkpoint reloaded to resume (dense
 * or compact) give the same constraints. Structured pruning and a static exit need none: they only
 * leave smaller shapes.
 *
 * <p>State is one native bool per weight of a pruned tensor that is not shared, and one byte per
 * weight of a shared tensor (k ≤ 256); in a shared tensor the zeros are their own cluster, pinned
 * at 0, so it needs no mask.
 */
public final class WeightConstraints implements AutoCloseable {
    private final NDManager manager;
    /** Pruned tensors that are not shared: true where a weight may move. */
    private final Map<String, NDArray> keep = new LinkedHashMap<>();
    private final Map<String, Clusters> shared = new LinkedHashMap<>();

    private WeightConstraints(NDManager manager) {
        this.manager = manager;
    }

    /** The constraints that {@code config} left in {@code model}'s weights. */
    public static WeightConstraints of(CausalLm model, CompressionConfig config) {
        WeightConstraints c = new WeightConstraints(model.manager().newSubManager());
        Set<String> projections = new HashSet<>(model.config().projections());
        model.parameters().forEach((name, p) -> {
            NDArray w = p.getArray();
            if (config.shares() && w.getShape().dimension() == 2) {
                c.shared.put(name, Clusters.of(name, w.toFloatArray(), config.clusters()));
            } else if (config.prunesUnstructured() && projections.contains(name)) {
                NDArray mask = w.neq(0f);
                mask.attach(c.manager);
                c.keep.put(name, mask);
            }
        });
        return c;
    }

    /** True when nothing is kept fixed: no compression, or only structured pruning and a static exit. */
    public boolean isEmpty() {
        return keep.isEmpty() && shared.isEmpty();
    }

    public int maskedTensors() {
        return keep.size();
    }

    public int sharedTensors() {
        return shared.size();
    }

    /** Re-imposes the constraints, in place, on the model they were read from (after an optimizer step). */
    public void apply(CausalLm model) {
        Map<String, Parameter> params = model.parameters();
        // masks: one native multiply per tensor. Clusters: DJL exposes no scatter-add, so native sums per
        // cluster would need an n × k one-hot, measured ~8x slower than this Java round trip
        // (about 6 ms for the 2M weights of loglm-tiny)
        Engines.withoutGradients(() -> {
            keep.forEach((name, mask) -> params.get(name).getArray().muli(mask));
            shared.forEach((name, clusters) -> {
                NDArray w = params.get(name).getArray();
                float[] values = w.toFloatArray();
                clusters.averageInPlace(values);
                w.set(values);
            });
        });
    }

    @Override
    public void close() {
        manager.close();
    }

    /** The cluster of every weight of one tensor, each cluster's size, and the cluster of the zeros (-1: none). */
    private record Clusters(byte[] indices, int[] sizes, int zeroCluster) {
        static Clusters of(String name, float[] w, int k) {
            float[] values = distinct(w);
            if (values.length > k) {
                throw new IllegalArgumentException(name + " holds " + values.length + " distinct values, more than the " + k
                        + " of share=" + k + "; the model is not weight-shared with that setting");
            }
            byte[] indices = new byte[w.length];
            int[] sizes = new int[values.length];
            for (int i = 0; i < w.length; i++) {
                int c = Arrays.binarySearch(values, unsignedZero(w[i]));
                indices[i] = (byte) c;
                sizes[c]++;
            }
            int zero = Arrays.binarySearch(values, 0f);
            return new Clusters(indices, sizes, zero >= 0 ? zero : -1);
        }

        /**
         * Every weight becomes the mean of its cluster; the zero cluster stays 0. Sums are in double, so
         * the mean of equal floats is exactly that float and applying twice changes nothing.
         */
        void averageInPlace(float[] w) {
            double[] sums = new double[sizes.length];
            for (int i = 0; i < w.length; i++) {
                sums[indices[i] & 0xFF] += w[i];
            }
            float[] means = new float[sizes.length];
            for (int c = 0; c < means.length; c++) {
                means[c] = c == zeroCluster ? 0f : (float) (sums[c] / sizes[c]);
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = means[indices[i] & 0xFF];
            }
        }

        /** The sorted distinct values, -0.0 counted as 0.0 (a zeroed weight may carry either sign). */
        private static float[] distinct(float[] w) {
            float[] sorted = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                sorted[i] = unsignedZero(w[i]);
            }
            Arrays.sort(sorted);
            int n = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (n == 0 || sorted[i] != sorted[n - 1]) {
                    sorted[n++] = sorted[i];
                }
            }
            return Arrays.copyOf(sorted, n);
        }

        private static float unsignedZero(float x) {
            return x == 0f ? 0f : x;
        }
    }
}
