package org.slmworkbench.model;

import static org.slmworkbench.model.ConfigProblems.positive;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slmworkbench.model.UnitSlice.Unit;

/**
 * Shape of a Llama-architecture model, in the vocabulary of Hugging Face's {@code LlamaConfig} so
 * that {@code config.json} files move between this project and transformers unchanged.
 *
 * <p>{@code headDim} is explicit (HF's {@code head_dim}) because structured pruning removes heads
 * without changing {@code hidden_size}.
 */
public record LlamaConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        int maxPositionEmbeddings,
        int vocabSize,
        boolean tieWordEmbeddings,
        int bosTokenId,
        int eosTokenId) implements ModelConfig {

    public static final String ARCHITECTURE = "LlamaForCausalLM";
    /** The rotary tables hold max_position_embeddings × head_dim values each and the rotation head_dim²: these caps keep them to a few hundred MB. */
    public static final int MAX_HEAD_DIM = 1024;
    public static final long MAX_ROTARY_VALUES = 1L << 24;

    /** Every problem with the numbers, as short phrases; empty when the config is usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        positive(p, "hidden_size", hiddenSize);
        positive(p, "intermediate_size", intermediateSize);
        positive(p, "num_hidden_layers", numHiddenLayers);
        positive(p, "num_attention_heads", numAttentionHeads);
        positive(p, "num_key_value_heads", numKeyValueHeads);
        positive(p, "head_dim", headDim);
        positive(p, "max_position_embeddings", maxPositionEmbeddings);
        positive(p, "vocab_size", vocabSize);
        if (numKeyValueHeads > 0 && numAttentionHeads % numKeyValueHeads != 0) {
            p.add("num_attention_heads (" + numAttentionHeads + ") is not a multiple of num_key_value_heads (" + numKeyValueHeads + ")");
        }
        if (maxPositionEmbeddings > MAX_POSITIONS) {
            // rotary tables are precomputed for every position
            p.add("max_position_embeddings (" + maxPositionEmbeddings + ") above " + MAX_POSITIONS + " is not supported");
        }
        if (headDim > MAX_HEAD_DIM) {
            p.add("head_dim (" + headDim + ") above " + MAX_HEAD_DIM + " is not supported");
        }
        if ((long) maxPositionEmbeddings * headDim > MAX_ROTARY_VALUES) {
            p.add("max_position_embeddings × head_dim (" + maxPositionEmbeddings + " × " + headDim + ") above "
                    + MAX_ROTARY_VALUES + " is not supported");
        }
        if (headDim % 2 != 0) {
            p.add("head_dim (" + headDim + ") must be even for rotary embeddings");
        }
        if (!(rmsNormEps > 0) || !(ropeTheta > 0)) {
            p.add("rms_norm_eps and rope_theta must be positive");
        }
        return p;
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    @Override
    public int layers() {
        return numHiddenLayers;
    }

    @Override
    public int maxContext() {
        return maxPositionEmbeddings;
    }

    @Override
    public int heads() {
        return numAttentionHeads;
    }

    @Override
    public int kvHeads() {
        return numKeyValueHeads;
    }

    @Override
    public int mlpWidth() {
        return intermediateSize;
    }

    @Override
    public Map<String, Shape> tensorShapes() {
        return LlamaModel.tensorShapes(this);
    }

    @Override
    public List<UnitSlice> slices(int layer) {
        String p = LlamaModel.layerPrefix(layer);
        return List.of(
                new UnitSlice(p + "self_attn.q_proj.weight", Unit.QUERY_HEAD, 0, 0, headDim),
                new UnitSlice(p + "self_attn.k_proj.weight", Unit.KV_HEAD, 0, 0, headDim),
                new UnitSlice(p + "self_attn.v_proj.weight", Unit.KV_HEAD, 0, 0, headDim),
                new UnitSlice(p + "self_attn.o_proj.weight", Unit.QUERY_HEAD, 1, 0, headDim),
                new UnitSlice(p + "mlp.gate_proj.weight", Unit.NEURON, 0, 0, 1),
                new UnitSlice(p + "mlp.up_proj.weight", Unit.NEURON, 0, 0, 1),
                new UnitSlice(p + "mlp.down_proj.weight", Unit.NEURON, 1, 0, 1));
    }

    /**
     * The MLP's input only: its norm → gate and up. Measured on loglm-tiny and codelm-tiny at int4,
     * that scaling lowered the held-out loss below rounding to nearest on both, while scaling
     * attention's input (norm → q, k, v) and the MLP's inner channels (up → down) raised it.
     */
    @Override
    public List<InputScaling> inputScalings(int layer) {
        String p = LlamaModel.layerPrefix(layer);
        return List.of(new InputScaling(p + "post_attention_layernorm.weight", List.of(p + "mlp.gate_proj.weight", p + "mlp.up_proj.weight")));
    }

    @Override
    public LlamaConfig withWidths(int heads, int kvHeads, int mlpWidth) {
        return new LlamaConfig(hiddenSize, mlpWidth, numHiddenLayers, heads, kvHeads, headDim, rmsNormEps, ropeTheta,
                maxPositionEmbeddings, vocabSize, tieWordEmbeddings, bosTokenId, eosTokenId);
    }

    /** None: LlamaConfig names head_dim, so every pruned shape is a valid Hugging Face Llama. */
    @Override
    public Optional<String> hfLimitation() {
        return Optional.empty();
    }

    @Override
    public LlamaModel newModel(NDManager manager, WeightSource weights) {
        return new LlamaModel(this, manager, weights);
    }

    @Override
    public LlamaConfig withLayers(int layers) {
        return new LlamaConfig(hiddenSize, intermediateSize, layers, numAttentionHeads, numKeyValueHeads, headDim,
                rmsNormEps, ropeTheta, maxPositionEmbeddings, vocabSize, tieWordEmbeddings, bosTokenId, eosTokenId);
    }

    /** Number of weights, counting a tied head once. */
    @Override
    public long parameterCount() {
        long h = hiddenSize;
        long attn = h * headDim * (2L * numAttentionHeads + 2L * numKeyValueHeads);
        long mlp = 3L * h * intermediateSize;
        long perLayer = attn + mlp + 2 * h;
        long embed = (long) vocabSize * h;
        return embed * (tieWordEmbeddings ? 1 : 2) + perLayer * numHiddenLayers + h;
    }
}
