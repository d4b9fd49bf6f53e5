package org.slmworkbench.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.nio.file.Path;
import org.slmworkbench.BadInputException;

/** A {@link TextTokenizer} backed by the Hugging Face tokenizers library through DJL. */
final class HuggingFaceTextTokenizer implements TextTokenizer {
    private static final int CHUNK_CHARS = 64 * 1024;

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final int eosId;
    private final boolean chunkable;

    /**
     * @param file the tokenizer.json, named when a text cannot be encoded
     * @param chunkable whether long text may be encoded in {@link TextChunks}, which must give
     *     the same ids for this tokenizer
     */
    HuggingFaceTextTokenizer(Path file, HuggingFaceTokenizer tokenizer, int vocabSize, int eosId, boolean chunkable) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.eosId = eosId;
        this.chunkable = chunkable;
    }

    @Override
    public int[] encode(String text) {
        if (!chunkable || text.length() < 2 * CHUNK_CHARS) {
            return encodeWhole(text);
        }
        IntList ids = new IntList(text.length() / 2);
        for (String chunk : TextChunks.split(text, CHUNK_CHARS)) {
            ids.addAll(encodeWhole(chunk));
        }
        return ids.toArray();
    }

    /**
     * Fetches only the ids from the native encoding: {@code tokenizer.encode} would also copy
     * out token strings, offsets and masks, which takes about as long as encoding itself.
     */
    private int[] encodeWhole(String text) {
        long encoding;
        try {
            encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        } catch (RuntimeException e) {
            // e.g. a model without an unknown token meeting a character outside its vocabulary
            throw new BadInputException(file, "cannot encode the text: " + e.getMessage());
        }
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
