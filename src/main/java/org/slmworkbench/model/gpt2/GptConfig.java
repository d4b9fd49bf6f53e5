package org.slmworkbench.model.gpt2;

import static org.slmworkbench.model.ConfigProblems.positive;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slmworkbench.model.ModelConfig;
import org.slmworkbench.model.UnitSlice;
import org.slmworkbench.model.WeightSource;

/**
 * Shape of a GPT-2 or GPTBigCode model in the vocabulary of Hugging Face's {@code GPT2Config} and
 * {@code GPTBigCodeConfig}, so config.json files move between this project and transformers
 * unchanged. Only settings that change the maths are kept; the rest (dropout, summary heads,
 * softmax precision, which only matters below f32) have no effect here.
 *
 * <p>{@code headDim} is n_embd / n_head in every Hugging Face checkpoint; it is explicit because
 * structured pruning removes heads without changing n_embd, which transformers' GPT configs
 * cannot express (see {@link #hfLimitation}).
 */
public record GptConfig(
        GptFamily family,
        int nEmbd,
        int nLayer,
        int nHead,
        int headDim,
        int nInner,
        int nPositions,
        int vocabSize,
        double layerNormEpsilon,
        String activationFunction,
        boolean multiQuery,
        boolean scaleAttnWeights,
        boolean tieWordEmbeddings,
        int bosTokenId,
        int eosTokenId) implements ModelConfig {

    /** A config as Hugging Face has it: heads of n_embd / n_head. */
    public GptConfig(GptFamily family, int nEmbd, int nLayer, int nHead, int nInner, int nPositions, int vocabSize,
            double layerNormEpsilon, String activationFunction, boolean multiQuery, boolean scaleAttnWeights,
            boolean tieWordEmbeddings, int bosTokenId, int eosTokenId) {
        this(family, nEmbd, nLayer, nHead, nHead > 0 ? nEmbd / nHead : 0, nInner, nPositions, vocabSize, layerNormEpsilon,
                activationFunction, multiQuery, scaleAttnWeights, tieWordEmbeddings, bosTokenId, eosTokenId);
    }

    @Override
    public String architecture() {
        return family.architecture();
    }

    /** Key/value heads: one under multi-query attention, else one per query head. */
    @Override
    public int kvHeads() {
        return multiQuery ? 1 : nHead;
    }

    /** Width of all query heads together: n_embd unless heads were pruned. */
    public int attentionWidth() {
        return nHead * headDim;
    }

    /** Rows of the fused c_attn projection: all query heads, then the key heads, then the value heads. */
    public int qkvWidth() {
        return attentionWidth() + 2 * kvHeads() * headDim;
    }

    @Override
    public int layers() {
        return nLayer;
    }

    @Override
    public int maxContext() {
        return nPositions;
    }

    @Override
    public int heads() {
        return nHead;
    }

    @Override
    public int mlpWidth() {
        return nInner;
    }

    @Override
    public Map<String, Shape> tensorShapes() {
        return GptTensors.modelShapes(this);
    }

    @Override
    public List<UnitSlice> slices(int layer) {
        return GptTensors.slices(this, layer);
    }

    @Override
    public GptConfig withLayers(int layers) {
        return new GptConfig(family, nEmbd, layers, nHead, headDim, nInner, nPositions, vocabSize, layerNormEpsilon,
                activationFunction, multiQuery, scaleAttnWeights, tieWordEmbeddings, bosTokenId, eosTokenId);
    }

    /** Key/value heads follow from multi_query: one, or one per query head. */
    @Override
    public GptConfig withWidths(int heads, int kvHeads, int mlpWidth) {
        return new GptConfig(family, nEmbd, nLayer, heads, headDim, mlpWidth, nPositions, vocabSize, layerNormEpsilon,
                activationFunction, multiQuery, scaleAttnWeights, tieWordEmbeddings, bosTokenId, eosTokenId);
    }

    @Override
    public Optional<String> hfLimitation() {
        if (attentionWidth() == nEmbd) {
            return Optional.empty();
        }
        return Optional.of(architecture() + " with " + nHead + " heads of " + headDim + " in a width of " + nEmbd
                + " has no Hugging Face config: transformers derives the head size as n_embd / n_head, so a GPT whose heads"
                + " were pruned cannot be described");
    }

    @Override
    public GptModel newModel(NDManager manager, WeightSource weights) {
        return new GptModel(this, manager, weights);
    }

    @Override
    public boolean keepsFileLayout(String name) {
        return GptTensors.keepsFileLayout(this, name);
    }

    @Override
    public float[] toFile(String name, float[] modelValues) {
        return GptTensors.toFile(this, name, modelValues);
    }

    /** Every problem with the numbers, as short phrases; empty when the config is usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        positive(p, "n_embd", nEmbd);
        positive(p, "n_layer", nLayer);
        positive(p, "n_head", nHead);
        positive(p, "head_dim", headDim);
        positive(p, "n_inner", nInner);
        positive(p, "n_positions", nPositions);
        positive(p, "vocab_size", vocabSize);
        if (nPositions > MAX_POSITIONS) {
            p.add("n_positions (" + nPositions + ") above " + MAX_POSITIONS + " is not supported");
        }
        if (!(layerNormEpsilon > 0)) {
            p.add("layer_norm_epsilon must be positive");
        }
        if (!GeluActivation.SUPPORTED.contains(activationFunction)) {
            p.add("activation_function \"" + activationFunction + "\" is not supported (supported: "
                    + String.join(", ", GeluActivation.SUPPORTED) + ")");
        }
        if (multiQuery && family != GptFamily.BIG_CODE) {
            p.add("multi_query is a GPTBigCode setting; " + family.architecture() + " has none");
        }
        return p;
    }

    /** Number of weights and biases, counting a tied head once. */
    @Override
    public long parameterCount() {
        long e = nEmbd;
        long attention = e * qkvWidth() + qkvWidth() + (long) attentionWidth() * e + e;
        long mlp = 2 * e * nInner + nInner + e;
        long norms = 4 * e;
        long embeddings = ((long) vocabSize + nPositions) * e;
        long head = tieWordEmbeddings ? 0 : (long) vocabSize * e;
        return embeddings + nLayer * (attention + mlp + norms) + 2 * e + head;
    }
}
