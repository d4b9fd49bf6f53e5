package org.slmworkbench.checkpoint.gguf;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slmworkbench.io.GgufValue;
import org.slmworkbench.model.LlamaConfig;

/**
 * Llama as llama.cpp's {@code llama}. The head size goes in as {@code attention.key_length}, since a
 * model whose heads were pruned has fewer heads than hidden_size / head_dim. Our rotary embedding
 * pairs dimension i with i + head_dim/2 (Hugging Face's rotate-half); llama.cpp's {@code llama}
 * pairs 2i with 2i+1 (the original Meta layout), so the rows of q_proj and k_proj are reordered
 * within each head to give the same rotation.
 */
final class LlamaGguf implements GgufArch {
    private static final TensorNames NAMES = new TensorNames("model.layers.",
            Map.of("model.embed_tokens.weight", "token_embd.weight", "model.norm.weight", "output_norm.weight",
                    "lm_head.weight", "output.weight"),
            Map.of("input_layernorm.weight", "attn_norm.weight", "self_attn.q_proj.weight", "attn_q.weight",
                    "self_attn.k_proj.weight", "attn_k.weight", "self_attn.v_proj.weight", "attn_v.weight",
                    "self_attn.o_proj.weight", "attn_output.weight", "post_attention_layernorm.weight", "ffn_norm.weight",
                    "mlp.gate_proj.weight", "ffn_gate.weight", "mlp.up_proj.weight", "ffn_up.weight",
                    "mlp.down_proj.weight", "ffn_down.weight"));

    private final LlamaConfig c;

    LlamaGguf(LlamaConfig c) {
        this.c = c;
    }

    @Override
    public String name() {
        return "llama";
    }

    @Override
    public Map<String, GgufValue> hyperparameters() {
        Map<String, GgufValue> kv = new LinkedHashMap<>();
        kv.put("llama.vocab_size", GgufValue.u32(c.vocabSize()));
        kv.put("llama.context_length", GgufValue.u32(c.maxPositionEmbeddings()));
        kv.put("llama.embedding_length", GgufValue.u32(c.hiddenSize()));
        kv.put("llama.block_count", GgufValue.u32(c.numHiddenLayers()));
        kv.put("llama.feed_forward_length", GgufValue.u32(c.intermediateSize()));
        kv.put("llama.attention.head_count", GgufValue.u32(c.numAttentionHeads()));
        kv.put("llama.attention.head_count_kv", GgufValue.u32(c.numKeyValueHeads()));
        kv.put("llama.attention.key_length", GgufValue.u32(c.headDim()));
        kv.put("llama.attention.value_length", GgufValue.u32(c.headDim()));
        kv.put("llama.rope.dimension_count", GgufValue.u32(c.headDim()));
        kv.put("llama.rope.freq_base", GgufValue.f32(c.ropeTheta()));
        kv.put("llama.attention.layer_norm_rms_epsilon", GgufValue.f32(c.rmsNormEps()));
        return kv;
    }

    @Override
    public String tensorName(String hfName) {
        return NAMES.of(hfName);
    }

    @Override
    public float[] values(String hfName, float[] modelValues) {
        if (hfName.endsWith(".self_attn.q_proj.weight")) {
            return pairsAdjacent(modelValues, c.numAttentionHeads());
        }
        if (hfName.endsWith(".self_attn.k_proj.weight")) {
            return pairsAdjacent(modelValues, c.numKeyValueHeads());
        }
        return modelValues;
    }

    /** Within each head, row i goes to 2i and row i + head_dim/2 to 2i + 1. */
    private float[] pairsAdjacent(float[] rows, int heads) {
        int hd = c.headDim();
        int rowLength = c.hiddenSize();
        float[] out = new float[rows.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < hd / 2; i++) {
                for (int half = 0; half < 2; half++) {
                    int from = h * hd + half * (hd / 2) + i;
                    int to = h * hd + 2 * i + half;
                    System.arraycopy(rows, from * rowLength, out, to * rowLength, rowLength);
                }
            }
        }
        return out;
    }
}
