package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Llama decoder-only transformer as DJL blocks, with Hugging Face tensor names. */
public final class LlamaModel extends AbstractCausalLm {
    private static final String EMBED = "model.embed_tokens.weight";
    private static final String NORM = "model.norm.weight";
    private static final String HEAD = "lm_head.weight";

    private final LlamaConfig config;
    private final NDArray eps;
    private final Weight embed;
    private final Weight finalNorm;
    private final Weight head;
    private final List<LlamaDecoderLayer> layers = new ArrayList<>();

    /** Builds the model on weights from {@code weights}; the arrays must live in {@code manager}. */
    public LlamaModel(LlamaConfig config, NDManager manager, WeightSource weights) {
        super(manager);
        this.config = config;
        this.eps = manager.create((float) config.rmsNormEps());
        Rope rope = new Rope(manager, config.headDim(), config.maxPositionEmbeddings(), config.ropeTheta());
        embed = register(EMBED, weights);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            LlamaDecoderLayer layer = new LlamaDecoderLayer(config, rope, eps, layerPrefix(i), registry(), weights);
            layers.add(addChildBlock("layer" + i, layer));
        }
        finalNorm = register(NORM, weights);
        head = config.tieWordEmbeddings() ? embed : register(HEAD, weights);
    }

    public static String layerPrefix(int layer) {
        return "model.layers." + layer + ".";
    }

    /** Every tensor a checkpoint of this config holds, with its shape, in file order. */
    public static Map<String, Shape> tensorShapes(LlamaConfig c) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long qOut = (long) c.numAttentionHeads() * c.headDim();
        long kvOut = (long) c.numKeyValueHeads() * c.headDim();
        shapes.put(EMBED, new Shape(c.vocabSize(), h));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = layerPrefix(i);
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

    @Override
    public LlamaConfig config() {
        return config;
    }

    @Override
    protected NDArray embed(NDArray ids, int start) {
        return Ops.embedding(ids, embed);
    }

    @Override
    protected NDArray block(int layer, NDArray x, int start, NDArray mask, KvCache cache, InputRecorder recorder) {
        return layers.get(layer).forward(x, start, mask, cache, layer, recorder);
    }

    @Override
    protected void cacheSkipped(int layer, NDArray exitHidden, int start, KvCache cache) {
        layers.get(layer).cacheSkipped(exitHidden, start, cache, layer);
    }

    @Override
    protected NDArray logits(NDArray hidden) {
        return Ops.linear(Ops.rmsNorm(hidden, finalNorm.storage(), eps), head);
    }
}
