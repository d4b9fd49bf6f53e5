package org.slmworkbench.checkpoint.gguf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slmworkbench.io.GgufValue;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;
import org.slmworkbench.tokenizer.PreTokenization;

/**
 * Our byte-level BPE as llama.cpp's {@code gpt2} tokenizer model: the tokens spelled as in
 * tokenizer.json, their types, the merges in rank order, the special ids, and the pre-tokenizer
 * whose regexes cut text as ours does. GPT-2's regex alone is llama.cpp's {@code gpt-2}; individual
 * digits, then GPT-2's regex on the text between them, is its {@code starcoder} (first {@code \p{N}},
 * then the same GPT-2 pattern), which is what our {@link PreTokenization#GPT2_INDIVIDUAL_DIGITS}
 * does. Our tokenizers add no BOS or EOS to a prompt, so neither does llama.cpp; they have no
 * unknown or padding token, so none is written.
 */
final class GgufVocab {
    /** llama.cpp's token types. */
    private static final int NORMAL = 1;
    private static final int CONTROL = 3;
    private static final int UNUSED = 5;

    private GgufVocab() {}

    /**
     * @param vocabSize the model's embedding rows; ids past the tokenizer's get unused placeholder
     *     tokens, as llama.cpp needs one token per row
     */
    static Map<String, GgufValue> of(ByteBpeTokenizer tokenizer, int vocabSize, int bosId, int eosId) {
        if (tokenizer.vocabSize() > vocabSize) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model only "
                    + vocabSize + " embeddings");
        }
        List<String> tokens = new ArrayList<>(vocabSize);
        int[] types = new int[vocabSize];
        for (int id = 0; id < vocabSize; id++) {
            boolean known = id < tokenizer.vocabSize();
            tokens.add(known ? tokenizer.tokenString(id) : "[PAD" + id + "]");
            types[id] = !known ? UNUSED : id == tokenizer.eosId() ? CONTROL : NORMAL;
        }
        Map<String, GgufValue> kv = new LinkedHashMap<>();
        kv.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        kv.put("tokenizer.ggml.pre", GgufValue.string(preTokenizer(tokenizer.preTokenization())));
        kv.put("tokenizer.ggml.tokens", GgufValue.strings(tokens));
        kv.put("tokenizer.ggml.token_type", GgufValue.i32s(types));
        kv.put("tokenizer.ggml.merges", GgufValue.strings(tokenizer.mergeStrings()));
        if (bosId >= 0 && bosId < vocabSize) {
            kv.put("tokenizer.ggml.bos_token_id", GgufValue.u32(bosId));
        }
        if (eosId >= 0 && eosId < vocabSize) {
            kv.put("tokenizer.ggml.eos_token_id", GgufValue.u32(eosId));
        }
        kv.put("tokenizer.ggml.add_bos_token", GgufValue.bool(false));
        kv.put("tokenizer.ggml.add_eos_token", GgufValue.bool(false));
        return kv;
    }

    /** llama.cpp's name for the pre-tokenizer that splits text exactly as {@code p}. */
    static String preTokenizer(PreTokenization p) {
        return switch (p) {
            case GPT2 -> "gpt-2";
            case GPT2_INDIVIDUAL_DIGITS -> "starcoder";
        };
    }
}
