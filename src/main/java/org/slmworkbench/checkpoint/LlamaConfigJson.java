package org.slmworkbench.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.slmworkbench.BadInputException;
import org.slmworkbench.model.ConfigFile;
import org.slmworkbench.model.LlamaConfig;

/** Hugging Face LlamaConfig JSON: reading refuses settings that would change the maths we implement. */
final class LlamaConfigJson {
    private LlamaConfigJson() {}

    static LlamaConfig parse(ConfigFile f) {
        int hidden = f.requireInt("hidden_size");
        int heads = f.requireInt("num_attention_heads");
        if (heads <= 0) {
            throw new BadInputException(f.file(), "num_attention_heads must be positive (got " + heads + ")");
        }
        String act = f.optString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new BadInputException(f.file(), "hidden_act \"" + act + "\" is not supported (only silu)");
        }
        if (f.has("rope_scaling")) {
            throw new BadInputException(f.file(), "rope_scaling is not supported; remove it or use a model without it");
        }
        if (f.optBoolean("attention_bias", false) || f.optBoolean("mlp_bias", false)) {
            throw new BadInputException(f.file(), "attention_bias/mlp_bias are not supported");
        }
        LlamaConfig c = new LlamaConfig(
                hidden,
                f.requireInt("intermediate_size"),
                f.requireInt("num_hidden_layers"),
                heads,
                f.optInt("num_key_value_heads", heads),
                f.optInt("head_dim", hidden / heads),
                f.optDouble("rms_norm_eps", 1e-6),
                f.optDouble("rope_theta", 10000.0),
                f.optInt("max_position_embeddings", 2048),
                f.requireInt("vocab_size"),
                f.optBoolean("tie_word_embeddings", false),
                f.optInt("bos_token_id", 1),
                f.optInt("eos_token_id", 2));
        f.refuseIf(c.problems());
        return c;
    }

    static JsonObject toJson(LlamaConfig c) {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add(LlamaConfig.ARCHITECTURE);
        o.add("architectures", arch);
        o.addProperty("model_type", "llama");
        o.addProperty("hidden_size", c.hiddenSize());
        o.addProperty("intermediate_size", c.intermediateSize());
        o.addProperty("num_hidden_layers", c.numHiddenLayers());
        o.addProperty("num_attention_heads", c.numAttentionHeads());
        o.addProperty("num_key_value_heads", c.numKeyValueHeads());
        o.addProperty("head_dim", c.headDim());
        o.addProperty("hidden_act", "silu");
        o.addProperty("rms_norm_eps", c.rmsNormEps());
        o.addProperty("rope_theta", c.ropeTheta());
        o.addProperty("max_position_embeddings", c.maxPositionEmbeddings());
        o.addProperty("vocab_size", c.vocabSize());
        o.addProperty("tie_word_embeddings", c.tieWordEmbeddings());
        o.addProperty("bos_token_id", c.bosTokenId());
        o.addProperty("eos_token_id", c.eosTokenId());
        o.addProperty("attention_bias", false);
        o.addProperty("mlp_bias", false);
        o.addProperty("torch_dtype", "float32");
        return o;
    }

}
