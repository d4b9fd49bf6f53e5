package org.slmworkbench.model.gpt2;

import static org.slmworkbench.model.ConfigProblems.positive;

import java.util.ArrayList;
import java.util.List;

/**
 * Shape of a GPT-2 or GPTBigCode model in the vocabulary of Hugging Face's {@code GPT2Config} and
 * {@code GPTBigCodeConfig}, so config.json files move between this project and transformers
 * unchanged. Only settings that change the maths are kept; the rest (dropout, summary heads,
 * softmax precision, which only matters below f32) have no effect here.
 */
public record GptConfig(
        GptFamily family,
        int nEmbd,
        int nLayer,
        int nHead,
        int nInner,
        int nPositions,
        int vocabSize,
        double layerNormEpsilon,
        String activationFunction,
        boolean multiQuery,
        boolean scaleAttnWeights,
        boolean tieWordEmbeddings,
        int bosTokenId,
        int eosTokenId) {

    /** Position tables and caches are allocated per position; this keeps a typo from asking for gigabytes. */
    public static final int MAX_POSITIONS = 1 << 16;

    public String architecture() {
        return family.architecture();
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    /** Key/value heads: one under multi-query attention, else one per query head. */
    public int kvHeads() {
        return multiQuery ? 1 : nHead;
    }

    /** Rows of the fused c_attn projection: all query heads, then the key heads, then the value heads. */
    public int qkvWidth() {
        return nEmbd + 2 * kvHeads() * headDim();
    }

    /** Every problem with the numbers, as short phrases; empty when the config is usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        positive(p, "n_embd", nEmbd);
        positive(p, "n_layer", nLayer);
        positive(p, "n_head", nHead);
        positive(p, "n_inner", nInner);
        positive(p, "n_positions", nPositions);
        positive(p, "vocab_size", vocabSize);
        if (nHead > 0 && nEmbd % nHead != 0) {
            p.add("n_embd (" + nEmbd + ") is not a multiple of n_head (" + nHead + ")");
        }
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
    public long parameterCount() {
        long e = nEmbd;
        long attention = e * qkvWidth() + qkvWidth() + e * e + e;
        long mlp = 2 * e * nInner + nInner + e;
        long norms = 4 * e;
        long embeddings = ((long) vocabSize + nPositions) * e;
        long head = tieWordEmbeddings ? 0 : (long) vocabSize * e;
        return embeddings + nLayer * (attention + mlp + norms) + 2 * e + head;
    }
}
