package org.slmworkbench.tokenizer;

import java.nio.file.Path;
import org.slmworkbench.BadInputException;

/**
 * A tokenizer with more entries than the model's vocabulary, as Hugging Face's tiny random test
 * models are built (transformers loads them too): it works as long as no text it encodes yields an
 * id the model has no embedding for, and refuses the first text that does.
 */
public final class CappedTokenizer implements TextTokenizer {
    private final TextTokenizer inner;
    private final int vocabSize;
    private final Path file;

    /** @param file the tokenizer file, named when a text needs an id past {@code vocabSize} */
    public CappedTokenizer(TextTokenizer inner, int vocabSize, Path file) {
        this.inner = inner;
        this.vocabSize = vocabSize;
        this.file = file;
    }

    @Override
    public int[] encode(String text) {
        int[] ids = inner.encode(text);
        for (int id : ids) {
            if (id >= vocabSize) {
                throw new BadInputException(file, "gives token id " + id + " for text the model is asked to read, but config.json's"
                        + " vocab_size is " + vocabSize + ": the model has no embedding for it");
            }
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        return inner.decode(ids);
    }

    /** The model's vocabulary: ids a model can read and produce. */
    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int eosId() {
        int eos = inner.eosId();
        return eos < vocabSize ? eos : -1;
    }

    @Override
    public void close() {
        inner.close();
    }
}
