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

/** Llama decoder-only transformer as DJL blocks, with Hugging Face tensor names. */
public final class LlamaModel extends AbstractBlock implements CausalLm {
    private static final String EMBED = "model.embed_tokens.weight";
    private static final String NORM = "model.norm.weight";
    private static final String HEAD = "lm_head.weight";

    private final LlamaConfig config;
    private final NDManager manager;
    private final NDArray eps;
    private final Parameter embed;
    private final Parameter finalNorm;
    private final Parameter head;
    private final List<LlamaDecoderLayer> layers = new ArrayList<>();
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    /** Builds the model on weights from {@code weights}; the arrays must live in {@code manager}. */
    public LlamaModel(LlamaConfig config, NDManager manager, WeightSource weights) {
        this.config = config;
        this.manager = manager;
        this.eps = manager.create((float) config.rmsNormEps());
        Rope rope = new Rope(manager, config.headDim(), config.maxPositionEmbeddings(), config.ropeTheta());
        embed = register(EMBED, weights);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            LlamaDecoderLayer layer = new LlamaDecoderLayer(config, rope, eps, "model.layers." + i + ".", parameters, weights);
            layers.add(addChildBlock("layer" + i, layer));
        }
        finalNorm = register(NORM, weights);
        head = config.tieWordEmbeddings() ? embed : register(HEAD, weights);
    }

    /** Every tensor a checkpoint of this config holds, with its shape, in file order. */
    public static Map<String, Shape> tensorShapes(LlamaConfig c) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long qOut = (long) c.numAttentionHeads() * c.headDim();
        long kvOut = (long) c.numKeyValueHeads() * c.headDim();
        shapes.put(EMBED, new Shape(c.vocabSize(), h));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            shapes.put(p + "input_layernorm.weight", new Shape(h));
            shapes.put(p + "self_attn.q_proj.weight", new Shape(qOut, h));
            shapes.put(p + "self_attn.k_proj.weight", new Shape(kvOut, h));
            shapes.put(p + "self_attn.v_proj.weight", new Shape(kvOut, h));
            shapes.put(p + "self_attn.o_proj.weight", new Shape(h, qOut));
            shapes.put(p + "post_attention_layernorm.weight", new Shape(h));
            shapes.put(p + "mlp.gate_proj.weight", new Shape(c.intermediateSize(), h));
            shapes.put(p + "mlp.up_proj.weight", new Shape(c.intermediateSize(), h));
            shapes.put(p + "mlp.down_proj.weight", new Shape(h, c.intermediateSize()));
        }
        shapes.put(NORM, new Shape(h));
        if (!c.tieWordEmbeddings()) {
            shapes.put(HEAD, new Shape(c.vocabSize(), h));
        }
        return shapes;
    }

    private Parameter register(String name, WeightSource weights) {
        Parameter p = addParameter(Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optArray(weights.get(name)).build());
        parameters.put(name, p);
        return p;
    }

    public LlamaConfig config() {
        return config;
    }

    @Override
    public String architecture() {
        return LlamaConfig.ARCHITECTURE;
    }

    @Override
    public int numLayers() {
        return config.numHiddenLayers();
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int maxContext() {
        return config.maxPositionEmbeddings();
    }

    @Override
    public long parameterCount() {
        return config.parameterCount();
    }

    @Override
    public NDArray forward(NDArray ids, KvCache cache, int exitLayer) {
        return forward(ids, cache, exitLayer, null);
    }

    /**
     * One decoding step with a confident early exit: after each layer the final norm and head
     * read the hidden state, and the token leaves at the first layer whose top-1 probability
     * reaches {@code threshold}; the skipped layers' caches are filled from that state.
     *
     * @param ids a single token (1, 1)
     */
    @Override
    public EarlyExitStep forwardEarlyExit(NDArray ids, KvCache cache, double threshold) {
        int start = cache.length();
        NDArray x = Ops.embedding(ids, embed.getArray());
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x, start, null, cache, i, null);
            NDArray logits = Ops.linear(Ops.rmsNorm(x, finalNorm.getArray(), eps), head.getArray());
            boolean last = i == layers.size() - 1;
            if (last || logits.softmax(-1).max().getFloat() >= threshold) {
                for (int j = i + 1; j < layers.size(); j++) {
                    layers.get(j).cacheSkipped(x, start, cache, j);
                }
                cache.advance(1);
                return new EarlyExitStep(logits, i + 1);
            }
        }
        throw new IllegalStateException("unreachable: the last layer always exits");
    }

    /** A plain causal pass over all layers that shows every projection's input to {@code recorder}. */
    public void calibrate(NDArray ids, InputRecorder recorder) {
        forward(ids, null, layers.size(), recorder);
    }

    private NDArray forward(NDArray ids, KvCache cache, int exitLayer, InputRecorder recorder) {
        if (exitLayer < 1 || exitLayer > layers.size()) {
            throw new IllegalArgumentException("exit layer " + exitLayer + " outside 1.." + layers.size());
        }
        int t = (int) ids.getShape().get(1);
        int start = cache == null ? 0 : cache.length();
        if (start + t > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence of " + (start + t) + " tokens exceeds the model's context of "
                    + config.maxPositionEmbeddings());
        }
        NDArray mask = t == 1 ? null : Ops.causalMask(ids.getManager(), start, t);
        NDArray x = Ops.embedding(ids, embed.getArray());
        for (int i = 0; i < exitLayer; i++) {
            x = layers.get(i).forward(x, start, mask, cache, i, recorder);
        }
        if (cache != null) {
            cache.advance(t);
        }
        return Ops.linear(Ops.rmsNorm(x, finalNorm.getArray(), eps), head.getArray());
    }

    @Override
    public KvCache newCache(int batch, int capacity) {
        int cap = Math.min(capacity, config.maxPositionEmbeddings());
        return new KvCache(manager, layers.size(), batch, config.numKeyValueHeads(), config.headDim(), cap);
    }

    @Override
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
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
        return new Shape[] {new Shape(in.get(0), in.get(1), config.vocabSize())};
    }

    @Override
    public void close() {
        manager.close();
    }
}
