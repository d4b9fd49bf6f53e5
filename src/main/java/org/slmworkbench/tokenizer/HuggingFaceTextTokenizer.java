package org.slmworkbench.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;

/** A {@link TextTokenizer} backed by the Hugging Face tokenizers library through DJL. */
final class HuggingFaceTextTokenizer implements TextTokenizer {
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final int eosId;

    HuggingFaceTextTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, int eosId) {
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.eosId = eosId;
    }

    /**
     * {@inheritDoc} Fetches only the ids from the native encoding: {@code tokenizer.encode}
     * would also copy out token strings, offsets and masks, which takes about as long as the
     * encoding itself on multi-megabyte text. (Cutting the text into chunks does not help: the
     * library's time grows linearly with the text.)
     */
    @Override
    public int[] encode(String text) {
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        long[] ids;
        try {
            ids = TokenizersLibrary.LIB.getTokenIds(encoding);
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        // false: keep special tokens, so <|endoftext|> in the ids comes back as text
        return tokenizer.decode(wide, false);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
