package org.slmworkbench.checkpoint.gguf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slmworkbench.io.GgufValue;
import org.slmworkbench.model.gpt2.GptConfig;
import org.slmworkbench.model.gpt2.GptFamily;
import org.slmworkbench.model.gpt2.GptTensors;

/**
 * GPT-2 as llama.cpp's {@code gpt2} and GPTBigCode as its {@code starcoder}: learned positions,
 * LayerNorm with bias, one fused qkv projection (queries, then keys, then values, as our model
 * holds it; GPT-2's Conv1D checkpoints were transposed to (out, in) when loaded), a GELU MLP.
 */
final class GptGguf implements GgufArch {
    private static final TensorNames NAMES = new TensorNames(GptTensors.PREFIX + "h.",
            Map.of(GptTensors.WTE, "token_embd.weight", GptTensors.WPE, "position_embd.weight",
                    GptTensors.LN_F_WEIGHT, "output_norm.weight", GptTensors.LN_F_BIAS, "output_norm.bias",
                    GptTensors.HEAD, "output.weight"),
            Map.ofEntries(Map.entry("ln_1.weight", "attn_norm.weight"), Map.entry("ln_1.bias", "attn_norm.bias"),
                    Map.entry("attn.c_attn.weight", "attn_qkv.weight"), Map.entry("attn.c_attn.bias", "attn_qkv.bias"),
                    Map.entry("attn.c_proj.weight", "attn_output.weight"), Map.entry("attn.c_proj.bias", "attn_output.bias"),
                    Map.entry("ln_2.weight", "ffn_norm.weight"), Map.entry("ln_2.bias", "ffn_norm.bias"),
                    Map.entry("mlp.c_fc.weight", "ffn_up.weight"), Map.entry("mlp.c_fc.bias", "ffn_up.bias"),
                    Map.entry("mlp.c_proj.weight", "ffn_down.weight"), Map.entry("mlp.c_proj.bias", "ffn_down.bias")));

    private final GptConfig c;
    private final String name;

    /** @throws IllegalArgumentException for a shape or setting llama.cpp's architecture does not compute */
    GptGguf(GptConfig c) {
        this.c = c;
        this.name = c.family() == GptFamily.GPT2 ? "gpt2" : "starcoder";
        String refused = c.architecture() + " cannot be exported as GGUF: ";
        if (c.attentionWidth() != c.nEmbd()) {
            throw new IllegalArgumentException(refused + "llama.cpp's " + name + " takes the query width to be n_embd, so a GPT whose"
                    + " heads were pruned (" + c.nHead() + " heads of " + c.headDim() + " in a width of " + c.nEmbd()
                    + ") has no GGUF form; export it as compact instead");
        }
        if (!c.scaleAttnWeights()) {
            throw new IllegalArgumentException(refused + "it has scale_attn_weights false, and llama.cpp's " + name
                    + " always scales attention by 1/sqrt(head size)");
        }
        if (c.activationFunction().equals("gelu")) {
            throw new IllegalArgumentException(refused + "it uses the exact (erf) GELU, and llama.cpp's " + name
                    + " computes the tanh approximation (gelu_new)");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, GgufValue> hyperparameters() {
        Map<String, GgufValue> kv = new LinkedHashMap<>();
        kv.put(name + ".vocab_size", GgufValue.u32(c.vocabSize()));
        kv.put(name + ".context_length", GgufValue.u32(c.nPositions()));
        kv.put(name + ".embedding_length", GgufValue.u32(c.nEmbd()));
        kv.put(name + ".block_count", GgufValue.u32(c.nLayer()));
        kv.put(name + ".feed_forward_length", GgufValue.u32(c.nInner()));
        kv.put(name + ".attention.head_count", GgufValue.u32(c.nHead()));
        kv.put(name + ".attention.head_count_kv", GgufValue.u32(c.kvHeads()));
        kv.put(name + ".attention.layer_norm_epsilon", GgufValue.f32(c.layerNormEpsilon()));
        return kv;
    }

    /** llama.cpp's gpt2 requires output.weight (starcoder falls back to token_embd), so a tied GPT-2 head goes in twice. */
    @Override
    public Optional<String> tiedHead() {
        return c.family() == GptFamily.GPT2 && c.tieWordEmbeddings() ? Optional.of(GptTensors.WTE) : Optional.empty();
    }

    @Override
    public String tensorName(String hfName) {
        return NAMES.of(hfName);
    }
}
