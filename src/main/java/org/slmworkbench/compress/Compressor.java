package org.slmworkbench.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slmworkbench.compress.codec.WeightClustering;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.ModelConfig;

/**
 * Applies a {@link CompressionConfig} to a copy of a model of any family, in the order prune →
 * share → exit. A static exit keeps only the layers that run, so the copy really is smaller in
 * memory.
 */
public final class Compressor {
    /** k-means++ seed: fixed, so the same setting always gives the same model. */
    static final long SHARE_SEED = 42;

    private Compressor() {}

    public static CompressedModel compress(CausalLm base, CompressionConfig config, NDManager parent) {
        return compress(base, config, parent, null);
    }

    /** @param calibration token ids of text like the model's data, needed by Wanda; may be null otherwise */
    public static CompressedModel compress(CausalLm base, CompressionConfig config, NDManager parent, int[] calibration) {
        long t0 = System.nanoTime();
        ModelConfig shape = base.config().withLayers(config.effectiveExitLayer(base.numLayers()));
        // the tensors that change, by name; pruning sees the projections of the layers kept
        Map<String, float[]> changed = new LinkedHashMap<>();
        for (String name : shape.projections()) {
            changed.put(name, values(base, name));
        }
        if (config.prunes()) {
            switch (config.pruneMethod()) {
                case MAGNITUDE -> MagnitudePruning.perTensor(changed, config.pruneRatio());
                case GLOBAL_MAGNITUDE -> MagnitudePruning.global(changed, config.pruneRatio());
                case WANDA -> {
                    if (calibration == null || calibration.length < 2) {
                        throw new IllegalArgumentException("Wanda pruning needs calibration text (--calibration FILE|DIR)");
                    }
                    WandaPruning.prune(changed, WandaPruning.inputNorms(base, calibration), config.pruneRatio());
                }
                case STRUCTURED -> {
                    StructuredPruning.Result r = StructuredPruning.prune(shape,
                            name -> changed.computeIfAbsent(name, n -> values(base, n)), config.pruneRatio());
                    shape = r.config();
                    changed.putAll(r.weights());
                }
            }
        }
        Map<String, Shape> shapes = shape.tensorShapes();
        if (config.shares()) {
            // every matrix is palettized, embeddings included (norms and biases stay as they are);
            // reconstructed from codebook and indices, so the copy runs exactly what a compact file holds
            shapes.forEach((name, s) -> {
                if (s.dimension() == 2) {
                    changed.computeIfAbsent(name, n -> values(base, n));
                }
            });
            changed.replaceAll((name, w) -> shapes.get(name).dimension() != 2 ? w
                    : WeightClustering.reconstruct(WeightClustering.cluster(w, config.clusters(), SHARE_SEED)));
        }
        NDManager manager = parent.newSubManager();
        CausalLm copy = shape.newModel(manager, name -> {
            float[] values = changed.get(name);
            if (values != null) {
                return manager.create(values, shapes.get(name));
            }
            NDArray same = base.parameters().get(name).getArray().duplicate();
            same.attach(manager);
            return same;
        });
        return new CompressedModel(copy, config, (System.nanoTime() - t0) / 1_000_000);
    }

    private static float[] values(CausalLm model, String name) {
        return model.parameters().get(name).getArray().toFloatArray();
    }
}
