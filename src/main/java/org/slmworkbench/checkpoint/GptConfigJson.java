package org.slmworkbench.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.BadInputException;
import org.slmworkbench.model.ConfigFile;
import org.slmworkbench.model.gpt2.GptConfig;
import org.slmworkbench.model.gpt2.GptFamily;

/**
 * Hugging Face GPT2Config / GPTBigCodeConfig JSON. Defaults are transformers' own; settings that
 * would change the maths we implement are refused. Accepted without effect: dropout,
 * summary-head keys, and the softmax-precision switches ({@code reorder_and_upcast_attn},
 * {@code attention_softmax_in_fp32}, {@code scale_attention_softmax_in_fp32}), which only matter
 * when computing below f32; weights are always widened to f32 here.
 */
final class GptConfigJson {
    private GptConfigJson() {}

    static GptConfig parse(ConfigFile f, GptFamily family) {
        refuseIfTrue(f, "add_cross_attention", "cross-attention (encoder-decoder use) is not supported");
        refuseIfTrue(f, "scale_attn_by_inverse_layer_idx", "scaling attention by 1/(layer+1) is not supported");
        if (f.has("quantization_config")) {
            throw new BadInputException(f.file(), "quantization_config: quantized checkpoints are not supported; use F32, F16 or BF16 weights");
        }
        if (family == GptFamily.GPT2 && f.optBoolean("multi_query", false)) {
            throw new BadInputException(f.file(), "multi_query is a GPTBigCode setting; GPT2LMHeadModel has none");
        }
        int embd = f.requireInt("n_embd");
        int heads = f.requireInt("n_head");
        // head_dim is only in folders this project wrote after pruning heads; transformers derives it
        boolean derived = !f.has("head_dim");
        int headDim = derived ? (heads > 0 ? embd / heads : 0) : f.requireInt("head_dim");
        String defaultActivation = family == GptFamily.GPT2 ? "gelu_new" : "gelu_pytorch_tanh";
        GptConfig c = new GptConfig(
                family,
                embd,
                f.requireInt("n_layer"),
                heads,
                headDim,
                f.optInt("n_inner", 4 * embd),
                f.optInt("n_positions", 1024),
                f.requireInt("vocab_size"),
                f.optDouble("layer_norm_epsilon", 1e-5),
                f.optString("activation_function", defaultActivation),
                family == GptFamily.BIG_CODE && f.optBoolean("multi_query", true),
                f.optBoolean("scale_attn_weights", true),
                f.optBoolean("tie_word_embeddings", true),
                f.optInt("bos_token_id", 50256),
                f.optInt("eos_token_id", 50256));
        List<String> problems = new ArrayList<>(c.problems());
        if (derived && heads > 0 && embd % heads != 0) {
            problems.add("n_embd (" + embd + ") is not a multiple of n_head (" + heads + ")");
        }
        f.refuseIf(problems);
        return c;
    }

    private static void refuseIfTrue(ConfigFile f, String key, String why) {
        if (f.optBoolean(key, false)) {
            throw new BadInputException(f.file(), key + " is true: " + why);
        }
    }

    static JsonObject toJson(GptConfig c) {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add(c.architecture());
        o.add("architectures", arch);
        o.addProperty("model_type", c.family().modelType());
        o.addProperty("n_embd", c.nEmbd());
        o.addProperty("n_layer", c.nLayer());
        o.addProperty("n_head", c.nHead());
        if (c.hfLimitation().isPresent()) {
            o.addProperty("head_dim", c.headDim());
        }
        o.addProperty("n_inner", c.nInner());
        o.addProperty("n_positions", c.nPositions());
        o.addProperty("vocab_size", c.vocabSize());
        o.addProperty("layer_norm_epsilon", c.layerNormEpsilon());
        o.addProperty("activation_function", c.activationFunction());
        if (c.family() == GptFamily.BIG_CODE) {
            o.addProperty("multi_query", c.multiQuery());
        } else {
            o.addProperty("scale_attn_by_inverse_layer_idx", false);
            o.addProperty("reorder_and_upcast_attn", false);
        }
        o.addProperty("scale_attn_weights", c.scaleAttnWeights());
        o.addProperty("tie_word_embeddings", c.tieWordEmbeddings());
        o.addProperty("bos_token_id", c.bosTokenId());
        o.addProperty("eos_token_id", c.eosTokenId());
        o.addProperty("torch_dtype", "float32");
        return o;
    }
}
