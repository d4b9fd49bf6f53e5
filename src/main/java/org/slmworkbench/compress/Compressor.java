package org.slmworkbench.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slmworkbench.compress.codec.WeightClustering;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;

/**
 * Applies a {@link CompressionConfig} to a copy of a model, in the order prune → share → exit. A
 * static exit keeps only the layers that run, so the copy really is smaller in memory.
 */
public final class Compressor {
    /** k-means++ seed: fixed, so the same setting always gives the same model. */
    static final long SHARE_SEED = 42;

    private Compressor() {}

    public static CompressedModel compress(LlamaModel base, CompressionConfig config, NDManager parent) {
        return compress(base, config, parent, null);
    }

    /** @param calibration token ids of text like the model's data, needed by Wanda; may be null otherwise */
    public static CompressedModel compress(LlamaModel base, CompressionConfig config, NDManager parent, int[] calibration) {
        long t0 = System.nanoTime();
        int exit = config.effectiveExitLayer(base.numLayers());
        // the tensors that change, by name; pruning sees the projections of the layers kept
        Map<String, float[]> changed = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : base.parameters().entrySet()) {
            if (Prunable.isProjection(e.getKey()) && layerOf(e.getKey()) < exit) {
                changed.put(e.getKey(), e.getValue().getArray().toFloatArray());
            }
        }
        LlamaConfig shape = base.config().withLayers(exit);
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
                    StructuredPruning.Result r = StructuredPruning.prune(shape, changed, config.pruneRatio());
                    shape = r.config();
                    changed.putAll(r.weights());
                }
            }
        }
        if (config.shares()) {
            // every matrix is palettized, embeddings included (norm vectors stay as they are);
            // reconstructed from codebook and indices, so the copy runs exactly what a compact file holds
            base.parameters().forEach((name, p) -> {
                if (p.getArray().getShape().dimension() == 2 && !name.startsWith("model.layers.")) {
                    changed.put(name, p.getArray().toFloatArray());
                }
            });
            changed.replaceAll((name, w) -> WeightClustering.reconstruct(WeightClustering.cluster(w, config.clusters(), SHARE_SEED)));
        }
        NDManager manager = parent.newSubManager();
        Map<String, Shape> shapes = LlamaModel.tensorShapes(shape);
        LlamaModel copy = new LlamaModel(shape, manager, name -> {
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

    /** Index of the decoder layer a tensor belongs to ("model.layers.3.mlp..." → 3). */
    static int layerOf(String name) {
        int start = "model.layers.".length();
        return Integer.parseInt(name.substring(start, name.indexOf('.', start)));
    }
}
