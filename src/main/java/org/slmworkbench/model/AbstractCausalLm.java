package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slmworkbench.TaskControl;

/**
 * What every decoder-only architecture here shares: embed, run the blocks (with or without a
 * cache, up to an exit layer), then the final norm and head; the confident early exit; the KV
 * cache; the weights by Hugging Face name. Subclasses supply the embedding, the block and the head.
 */
public abstract class AbstractCausalLm extends AbstractBlock implements CausalLm {
    private final NDManager manager;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Weight> weights = new LinkedHashMap<>();

    /** @param manager owns the weights; closing the model closes it */
    protected AbstractCausalLm(NDManager manager) {
        this.manager = manager;
    }

    /** Input embeddings (B, T, hidden) of tokens at positions start..start+T-1. */
    protected abstract NDArray embed(NDArray ids, int start);

    /**
     * One block's pass: hidden states (B, T, hidden) in and out.
     *
     * @param start position of the first token
     * @param mask additive causal mask (T, S) or null when T == 1
     * @param cache the cache to read and extend, or null for a plain causal pass
     * @param recorder sees each projection's input, or null (every ordinary pass)
     */
    protected abstract NDArray block(int layer, NDArray x, int start, NDArray mask, KvCache cache, InputRecorder recorder);

    /**
     * Fills a block's cache slot for a token that left before reaching it: its keys and values
     * come from the exit hidden state, as CALM propagates it, so later tokens that do run the
     * block still find an entry at every position.
     */
    protected abstract void cacheSkipped(int layer, NDArray exitHidden, int start, KvCache cache);

    /** Final norm and head: logits (B, T, vocab). */
    protected abstract NDArray logits(NDArray hidden);

    @Override
    public String architecture() {
        return config().architecture();
    }

    @Override
    public int numLayers() {
        return config().layers();
    }

    @Override
    public int vocabSize() {
        return config().vocabSize();
    }

    @Override
    public int maxContext() {
        return config().maxContext();
    }

    @Override
    public long parameterCount() {
        return config().parameterCount();
    }

    /** Registers a weight of the model itself; blocks register theirs through {@link #registry()}. */
    protected final Weight register(String name, WeightSource source) {
        return registry().register(this::addParameter, name, source);
    }

    /** Where the model and its blocks register their weights, so that {@link #weights()} lists them in file order. */
    protected final Registry registry() {
        return new Registry(parameters, weights);
    }

    /** The model's maps of weights by name, as a block adds to them. */
    public record Registry(Map<String, Parameter> parameters, Map<String, Weight> weights) {
        /**
         * Takes weight {@code name} from {@code source} into the maps and, through {@code addToBlock},
         * a block's DJL parameters. A quantized weight has no PyTorch array, so it is no parameter:
         * nothing trains it (training needs f32 weights).
         */
        public Weight register(java.util.function.Consumer<Parameter> addToBlock, String name, WeightSource source) {
            Weight w = source.get(name);
            if (w.hasStorage()) {
                Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optArray(w.storage()).build();
                addToBlock.accept(p);
                parameters.put(name, p);
            }
            weights.put(name, w);
            return w;
        }
    }

    @Override
    public NDArray forward(NDArray ids, KvCache cache, int exitLayer) {
        return forward(ids, cache, exitLayer, null, null);
    }

    @Override
    public NDArray forward(NDArray ids, TaskControl control) {
        return forward(ids, null, numLayers(), null, control);
    }

    @Override
    public void calibrate(NDArray ids, InputRecorder recorder, TaskControl control) {
        forward(ids, null, numLayers(), recorder, control);
    }

    /** @param control checked between blocks, or null */
    private NDArray forward(NDArray ids, KvCache cache, int exitLayer, InputRecorder recorder, TaskControl control) {
        if (ids.getShape().size() == 1) {
            return Engines.oneTokenPass(() -> pass(ids, cache, exitLayer, recorder, control));
        }
        return pass(ids, cache, exitLayer, recorder, control);
    }

    private NDArray pass(NDArray ids, KvCache cache, int exitLayer, InputRecorder recorder, TaskControl control) {
        if (exitLayer < 1 || exitLayer > numLayers()) {
            throw new IllegalArgumentException("exit layer " + exitLayer + " outside 1.." + numLayers());
        }
        int t = (int) ids.getShape().get(1);
        int start = cache == null ? 0 : cache.length();
        if (start + t > maxContext()) {
            throw new IllegalArgumentException("sequence of " + (start + t) + " tokens exceeds the model's context of " + maxContext());
        }
        NDArray mask = t == 1 ? null : Ops.causalMask(ids.getManager(), start, t);
        NDArray x = embed(ids, start);
        // outside training nothing needs a block's intermediates once it is done: free them block by
        // block (at 1.1B parameters, 512 tokens of two windows left 10 GB of them until the pass ended)
        boolean freeEachBlock = t > 1 && !x.hasGradient();
        for (int i = 0; i < exitLayer; i++) {
            if (control != null) {
                control.checkpoint();
            }
            if (!freeEachBlock) {
                x = block(i, x, start, mask, cache, recorder);
                continue;
            }
            NDManager outer = x.getManager();
            try (NDManager scope = outer.newSubManager()) {
                x.tempAttach(scope);
                NDArray y = block(i, x, start, mask, cache, recorder);
                y.attach(outer);
                x = y;
            }
        }
        if (cache != null) {
            cache.advance(t);
        }
        // calibration records the projections' inputs and reads no logits: at TinyLlama's shape the
        // head's widened matrix and the logits of a pass's two windows of 512 tokens were 400 MB
        return recorder != null ? x : logits(x);
    }

    /** One pass instead of L: the head reads the hidden state after every block. */
    @Override
    public List<NDArray> exitLogits(NDArray ids) {
        int t = (int) ids.getShape().get(1);
        if (t > maxContext()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens exceeds the model's context of " + maxContext());
        }
        NDArray mask = t == 1 ? null : Ops.causalMask(ids.getManager(), 0, t);
        NDArray x = embed(ids, 0);
        List<NDArray> out = new ArrayList<>(numLayers());
        for (int i = 0; i < numLayers(); i++) {
            x = block(i, x, 0, mask, null, null);
            out.add(logits(x));
        }
        return out;
    }

    /**
     * One decoding step with a confident early exit: after each block the final norm and head
     * read the hidden state, and the token leaves at the first block whose top-1 probability
     * reaches {@code threshold}; the skipped blocks' caches are filled from that state.
     *
     * @param ids a single token (1, 1)
     */
    @Override
    public EarlyExitStep forwardEarlyExit(NDArray ids, KvCache cache, double threshold) {
        return Engines.oneTokenPass(() -> earlyExitStep(ids, cache, threshold));
    }

    private EarlyExitStep earlyExitStep(NDArray ids, KvCache cache, double threshold) {
        int start = cache.length();
        NDArray x = embed(ids, start);
        for (int i = 0; i < numLayers(); i++) {
            x = block(i, x, start, null, cache, null);
            NDArray logits = logits(x);
            boolean last = i == numLayers() - 1;
            if (last || logits.softmax(-1).max().getFloat() >= threshold) {
                for (int j = i + 1; j < numLayers(); j++) {
                    cacheSkipped(j, x, start, cache);
                }
                cache.advance(1);
                return new EarlyExitStep(logits, i + 1);
            }
        }
        throw new IllegalStateException("unreachable: the last layer always exits");
    }

    @Override
    public KvCache newCache(int batch, int capacity) {
        return new KvCache(manager, numLayers(), batch, config().kvHeads(), config().headDim(), Math.min(capacity, maxContext()));
    }

    @Override
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public Map<String, Weight> weights() {
        return Collections.unmodifiableMap(weights);
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), vocabSize())};
    }

    @Override
    public void close() {
        manager.close();
    }
}
