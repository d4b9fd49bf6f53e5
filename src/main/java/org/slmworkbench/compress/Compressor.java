package org.slmworkbench.compress;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slmworkbench.TaskControl;
import org.slmworkbench.compress.codec.WeightClustering;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.MatVec;
import org.slmworkbench.model.ModelConfig;
import org.slmworkbench.model.Precision;
import org.slmworkbench.model.Weight;

/**
 * Applies a {@link CompressionConfig} to a copy of a model of any family, in the order prune →
 * share → quantize → exit. The copy costs only what it changes: every tensor the setting leaves
 * alone (embeddings, norms, untouched layers) is the base's own, and the changed ones are built one
 * at a time straight into their final memory at the base tensor's precision (pruning and slicing
 * keep values exactly; a shared tensor's codebook is rounded to that precision first) or, when
 * quantizing, as blocks. Beyond those, the heap holds one tensor's floats at a time (structured
 * pruning: one layer). A static exit keeps only the layers that run.
 *
 * <p>The copy shares the base's tensors, so the base must outlive it, and training the copy in
 * place would train the base too (training loads its own model).
 */
public final class Compressor {
    /** k-means++ seed: fixed, so the same setting always gives the same model. */
    static final long SHARE_SEED = 42;

    private Compressor() {}

    public static CompressedModel compress(CausalLm base, CompressionConfig config, NDManager parent) {
        return compress(base, config, parent, new Calibration(null), TaskControl.none());
    }

    /** @param calibration token ids of text like the model's data, needed by Wanda; may be null otherwise */
    public static CompressedModel compress(CausalLm base, CompressionConfig config, NDManager parent, int[] calibration) {
        return compress(base, config, parent, new Calibration(calibration), TaskControl.none());
    }

    /** As above, with calibration results kept across calls and a cancel checked between tensors. */
    public static CompressedModel compress(CausalLm base, CompressionConfig config, NDManager parent, Calibration calibration,
            TaskControl control) {
        return compress(base, config, parent, calibration, control, false);
    }

    /**
     * A copy for a caller that keeps only it: each tensor of {@code base} the copy replaces is freed
     * as soon as nothing needs it (at once when tensors are edited independently), so a quantized
     * copy of a 1.1B bf16 base never holds both models' matrices. The base must not be used afterwards.
     */
    public static CompressedModel compressReplacing(CausalLm base, CompressionConfig config, NDManager parent, int[] calibration) {
        return compress(base, config, parent, new Calibration(calibration), TaskControl.none(), true);
    }

    private static CompressedModel compress(CausalLm base, CompressionConfig config, NDManager parent, Calibration calibration,
            TaskControl control, boolean freeReplaced) {
        long t0 = System.nanoTime();
        ModelConfig kept = base.config().withLayers(config.effectiveExitLayer(base.numLayers()));
        Edits edits = new Edits(base, kept, config, calibration, control);
        NDManager manager = parent.newSubManager();
        try {
            Map<String, Weight> built = new ConcurrentHashMap<>();
            List<Map.Entry<String, Shape>> tensors = List.copyOf(edits.shape().tensorShapes().entrySet());
            // a tensor under two names (a tied head) may be replaced under one and kept under the other
            Map<Weight, Long> names = base.weights().values().stream().collect(Collectors.groupingBy(w -> w, Collectors.counting()));
            boolean freeEach = freeReplaced && edits.independent();
            HeapBudget heap = new HeapBudget(tensors.stream().mapToLong(e -> e.getValue().size()).max().orElse(1));
            forEach(tensors, edits.independent() ? WORKERS : 1, e -> heap.run(e.getValue().size(), () -> {
                control.checkpoint();
                String name = e.getKey();
                Weight w = edits.built(name, manager);
                if (w != null) {
                    built.put(name, w);
                    Weight old = base.weights().get(name);
                    if (freeEach && old != null && names.get(old) == 1) {
                        old.free();
                    }
                }
            }));
            CausalLm copy = edits.shape().newModel(manager, name -> built.containsKey(name) ? built.get(name) : base.weights().get(name));
            if (freeReplaced) {
                freeReplacedIn(base, copy);
            }
            // the heap that widened tensors grew (1.6 GB committed sharing TinyLlama on two workers)
            // goes back before the copy is measured, not when G1 next runs a cycle (see CompressedModel)
            System.gc();
            return new CompressedModel(copy, config, (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Tensors built at once when each depends on itself alone: twice the speed on two cores, and
     * the heap holds two tensors, not one (more would buy little on a laptop and cost a tensor each).
     */
    private static final int WORKERS = Math.min(2, Runtime.getRuntime().availableProcessors());

    /** Runs {@code build} on every item, by {@code workers} threads taking the next item in turn; the first failure wins. */
    static <T> void forEach(List<T> items, int workers, Consumer<T> build) {
        if (workers <= 1) {
            items.forEach(build);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < items.size() && failed.get() == null; i = next.getAndIncrement()) {
                try {
                    build.accept(items.get(i));
                } catch (RuntimeException | Error e) {
                    failed.compareAndSet(null, e);
                }
            }
        };
        Thread helper = new Thread(worker, "compress-worker");
        helper.setDaemon(true);
        helper.start();
        worker.run();
        try {
            helper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        if (failed.get() instanceof Error e) {
            throw e;
        }
        if (failed.get() != null) {
            throw (RuntimeException) failed.get();
        }
    }

    /** What the setting does to each tensor, computed when that tensor is asked for. */
    private static final class Edits {
        private final CausalLm base;
        private final CompressionConfig config;
        private final ModelConfig shape;
        private final Set<String> projections;
        private final MagnitudePruning.Global global;
        private final Map<String, double[]> wandaNorms;
        private final StructuredPruning.Widths widths;
        private final ModelConfig kept;
        /** Activation-aware quantization's scales, or null. */
        private final ActivationAwareScaling.Scales scales;
        private int slicedLayer = -1;
        private Map<String, float[]> sliced = Map.of();

        Edits(CausalLm base, ModelConfig kept, CompressionConfig config, Calibration calibration, TaskControl control) {
            this.base = base;
            this.config = config;
            this.kept = kept;
            List<String> names = kept.projections();
            this.projections = Set.copyOf(names);
            PruneMethod method = config.prunes() ? config.pruneMethod() : null;
            this.global = method == PruneMethod.GLOBAL_MAGNITUDE ? globalThreshold(names, control) : null;
            this.wandaNorms = method == PruneMethod.WANDA ? calibration.inputNorms(base, control) : null;
            this.widths = method == PruneMethod.STRUCTURED ? StructuredPruning.widths(kept, config.pruneRatio()) : null;
            this.shape = widths != null ? widths.applyTo(kept) : kept;
            this.scales = config.quantization().activationAware()
                    ? ActivationAwareScaling.search(shape, this::editedOrBase, calibration.inputs(base, control), config.quantization().precision(),
                            independent() ? WORKERS : 1, control)
                    : null;
        }

        ModelConfig shape() {
            return shape;
        }

        /**
         * True when each tensor's new values depend on that tensor alone (and on what was computed
         * before building began), so tensors may be built side by side: not for structured pruning,
         * which slices a layer at a time.
         */
        boolean independent() {
            return !config.prunes() || config.pruneMethod() != PruneMethod.STRUCTURED;
        }

        /** Tensor {@code name} of the copy, new in {@code manager}, or null when the copy keeps the base's. */
        Weight built(String name, NDManager manager) {
            Weight w = base.weights().get(name);
            if (sharesOnly(name) && SixteenBitSharing.handles(w.precision()) && precision(name) == w.precision()
                    && (scales == null || !scales.touches(name))) {
                return SixteenBitSharing.share(w, config.clusters(), SHARE_SEED, manager);
            }
            float[] values = values(name);
            return values == null ? null : Weight.fromFloats(manager, shape.tensorShapes().get(name), precision(name), values);
        }

        /** Whether sharing is all the setting changes in tensor {@code name}'s values (pruning leaves it alone). */
        private boolean sharesOnly(String name) {
            boolean pruned = config.prunes() && (config.pruneMethod() == PruneMethod.STRUCTURED || projections.contains(name));
            return config.shares() && !pruned && shape.tensorShapes().get(name).dimension() == 2;
        }

        /** The new values of tensor {@code name}, or null when the copy keeps the base's. */
        private float[] values(String name) {
            boolean scaled = scales != null && scales.touches(name);
            if (scaled || precision(name) != base.weights().get(name).precision()) {
                float[] w = editedOrBase(name);
                return scaled ? scales.apply(name, w) : w;
            }
            return edited(name);
        }

        private float[] editedOrBase(String name) {
            float[] w = edited(name);
            return w != null ? w : base.weights().get(name).floats();
        }

        /** Tensor {@code name} as pruning and sharing leave it (a new array), or null when they leave it alone. */
        private float[] edited(String name) {
            float[] w = config.prunes() ? pruned(name) : null;
            if (config.shares() && shape.tensorShapes().get(name).dimension() == 2) {
                // every matrix is palettized, embeddings included (norms and biases stay as they are);
                // reconstructed from codebook and indices, so the copy runs exactly what a compact file holds
                float[] source = w != null ? w : base.weights().get(name).floats();
                WeightClustering.Codebook c = WeightClustering.codebook(source, config.clusters(), SHARE_SEED);
                snap(source, roundedTo(c, base.weights().get(name).precision()));
                w = source;
            }
            return w;
        }

        /**
         * The precision the copy holds {@code name} at: the quantization's for every matrix whose
         * rows are whole blocks of it (norms and biases stay f32), else the base tensor's.
         */
        Precision precision(String name) {
            Shape s = shape.tensorShapes().get(name);
            Precision q = config.quantization().precision();
            return config.quantizes() && s.dimension() == 2 && q.fits(s) ? q : base.weights().get(name).precision();
        }

        /** The pruned values of {@code name}, or null when pruning leaves it alone. */
        private float[] pruned(String name) {
            if (config.pruneMethod() != PruneMethod.STRUCTURED && !projections.contains(name)) {
                return null;
            }
            return switch (config.pruneMethod()) {
                case MAGNITUDE -> {
                    float[] w = base.weights().get(name).floats();
                    MagnitudePruning.perTensor(w, config.pruneRatio());
                    yield w;
                }
                case GLOBAL_MAGNITUDE -> {
                    float[] w = base.weights().get(name).floats();
                    global.prune(name, w);
                    yield w;
                }
                case WANDA -> {
                    float[] w = base.weights().get(name).floats();
                    WandaPruning.prune(w, wandaNorms.get(name), config.pruneRatio());
                    yield w;
                }
                case STRUCTURED -> slicedInLayerOf(name);
            };
        }

        /** Structured pruning's values of {@code name} (biases included), slicing its layer when it is not the one last sliced; null outside the layers' slices. */
        private float[] slicedInLayerOf(String name) {
            for (int layer = 0; layer < kept.layers(); layer++) {
                int l = layer;
                if (kept.slices(l).stream().anyMatch(s -> s.tensor().equals(name))) {
                    if (l != slicedLayer) {
                        Map<String, float[]> cache = new HashMap<>();
                        sliced = StructuredPruning.layer(kept, l, n -> cache.computeIfAbsent(n, k -> base.weights().get(k).floats()), widths);
                        slicedLayer = l;
                    }
                    return sliced.get(name);
                }
            }
            return null;
        }

        /**
         * One threshold over every projection, found in streaming passes that read tensors side by
         * side (ties go in this same order, whatever order the tensors are then pruned in).
         */
        private MagnitudePruning.Global globalThreshold(List<String> names, TaskControl control) {
            long total = names.stream().mapToLong(n -> base.weights().get(n).shape().size()).sum();
            // one buffer per worker for every tensor of every pass: a billion values read allocate nothing
            int largest = Math.toIntExact(names.stream().mapToLong(n -> base.weights().get(n).shape().size()).max().orElse(0));
            return MagnitudePruning.global(names, visit -> {
                Map<Thread, float[]> buffers = new ConcurrentHashMap<>();
                forEach(names, WORKERS, n -> {
                    control.checkpoint();
                    float[] buffer = buffers.computeIfAbsent(Thread.currentThread(), t -> new float[largest]);
                    visit.accept(n, buffer, base.weights().get(n).floatsInto(buffer));
                });
            }, total, config.pruneRatio());
        }
    }

    /** {@code c} with its entries rounded to {@code precision}, which the copy holds them at (still ascending, non-strictly). */
    static WeightClustering.Codebook roundedTo(WeightClustering.Codebook c, Precision precision) {
        float[] entries = c.entries().clone();
        for (int i = 0; i < entries.length; i++) {
            entries[i] = precision.round(entries[i]);
        }
        return new WeightClustering.Codebook(entries, c.zeroEntries());
    }

    /** Snaps every non-zero weight to its nearest entry: on vectors when this JVM has them. */
    static void snap(float[] weights, WeightClustering.Codebook codebook) {
        if (MatVec.available()) {
            SnapKernel.snap(weights, codebook);
        } else {
            WeightClustering.snap(weights, codebook);
        }
    }

    /** Frees every tensor of {@code base} that {@code copy} does not hold: replaced or past its exit. */
    private static void freeReplacedIn(CausalLm base, CausalLm copy) {
        Map<String, Weight> kept = copy.weights();
        base.weights().forEach((name, w) -> {
            if (kept.values().stream().noneMatch(k -> k.sharesMemoryWith(w))) {
                w.free();
            }
        });
    }

    /** The tensors of a copy that are its own, not the base's: what the copy costs in memory. */
    public static Map<String, Weight> ownTensors(CausalLm copy, CausalLm base) {
        Map<String, Weight> own = new LinkedHashMap<>();
        copy.weights().forEach((name, w) -> {
            if (base.weights().get(name) != w) {
                own.put(name, w);
            }
        });
        return own;
    }
}
