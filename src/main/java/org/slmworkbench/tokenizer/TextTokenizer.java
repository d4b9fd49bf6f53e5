package org.slmworkbench.tokenizer;

/**
 * Turns text into token ids and back. Implementations never add special tokens on their own;
 * a literal {@code <|endoftext|>} in the text does map to {@link #eosId()} when the vocabulary
 * has it, as in the Hugging Face library.
 */
public interface TextTokenizer extends AutoCloseable {

    /** Token ids of {@code text}, without any added special tokens. */
    int[] encode(String text);

    /** The text of {@code ids}; the exact inverse of {@link #encode} for text it produced. */
    String decode(int[] ids);

    /** Number of ids: every id is in {@code [0, vocabSize())}. */
    int vocabSize();

    /** Id of {@code <|endoftext|>}, or -1 if the vocabulary has none. */
    int eosId();

    @Override
    void close();
}
