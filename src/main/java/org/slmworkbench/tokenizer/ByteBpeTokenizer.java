package org.slmworkbench.tokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slmworkbench.BadInputException;

/**
 * Byte-level BPE in pure Java, GPT-2 style. As trained by {@link ByteBpeTrainer}, ids 0..255 are
 * the single bytes, then come the merged tokens in the order they were learned, and
 * {@code <|endoftext|>} is the last id. Gives the same ids as the Hugging Face library on the
 * {@code tokenizer.json} that {@link #save} writes, and round-trips any bytes exactly, including
 * invalid UTF-8. Safe for use from several threads.
 */
public final class ByteBpeTokenizer implements TextTokenizer {
    // Log text repeats its pieces (words, field names, common numbers), so a cache pays; the
    // limit keeps memory bounded on data full of unique ids and hex strings.
    private static final int CACHE_LIMIT = 200_000;
    private static final int CACHED_PIECE_MAX_LENGTH = 48;

    private final BpeModel model;
    private final PreTokenization preTokenization;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    ByteBpeTokenizer(BpeModel model, PreTokenization preTokenization) {
        this.model = model;
        this.preTokenization = preTokenization;
    }

    /**
     * Reads a {@code tokenizer.json} that {@link #save} wrote, or another GPT-2 style byte-level
     * BPE whose ids this class reproduces exactly, with either {@link PreTokenization}.
     *
     * @throws BadInputException if the file is missing, not JSON, or set up differently (other
     *     model, normalizer, pre-tokenizer, prefix space, added tokens besides
     *     {@code <|endoftext|>})
     */
    public static ByteBpeTokenizer load(Path tokenizerJson) {
        return ByteBpeFile.read(tokenizerJson);
    }

    /** Writes this tokenizer, pre-tokenization included, as a Hugging Face {@code tokenizer.json}. */
    public void save(Path tokenizerJson) {
        ByteBpeFile.write(model, preTokenization, tokenizerJson);
    }

    /** How this tokenizer cuts text into pieces before merging. */
    public PreTokenization preTokenization() {
        return preTokenization;
    }

    /**
     * {@inheritDoc} The text is taken as UTF-8; unpaired surrogates, which UTF-8 cannot hold,
     * come back as '?'.
     */
    @Override
    public int[] encode(String text) {
        IntList out = new IntList(text.length() / 3);
        encodeText(text, out);
        return out.toArray();
    }

    /** Ids of arbitrary bytes: well-formed UTF-8 as in {@link #encode}, any other byte alone. */
    public int[] encodeBytes(byte[] bytes) {
        IntList out = new IntList(bytes.length / 3);
        Utf8Runs.split(bytes, run -> encodeText(run, out), b -> out.add(model.byteId(b)));
        return out.toArray();
    }

    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The bytes of {@code ids}; the exact inverse of {@link #encodeBytes}. */
    public byte[] decodeBytes(int[] ids) {
        return model.decode(ids);
    }

    @Override
    public int vocabSize() {
        return model.vocabSize();
    }

    @Override
    public int eosId() {
        return model.eosId();
    }

    /**
     * Token {@code id} as the vocabulary of tokenizer.json spells it: its bytes in GPT-2's byte-level
     * alphabet, or {@code <|endoftext|>} for the end-of-text token.
     */
    public String tokenString(int id) {
        return ByteBpeFile.tokenString(model, id);
    }

    /** The merges in rank order, each spelled as tokenizer.json lists it ({@code "left right"}). */
    public List<String> mergeStrings() {
        return ByteBpeFile.mergeStrings(model);
    }

    /** Number of merges; the Hugging Face file lists them in this order. */
    public int mergeCount() {
        return model.merges().size();
    }

    @Override
    public void close() {
        // nothing native to release
    }

    private void encodeText(String text, IntList out) {
        Consumer<String> segment = s -> preTokenization.split(s, piece -> out.addAll(encodePiece(piece)));
        if (model.eosId() < 0) {
            segment.accept(text);
        } else {
            SpecialTokens.split(text, SpecialTokens.END_OF_TEXT, segment, () -> out.add(model.eosId()));
        }
    }

    private int[] encodePiece(String piece) {
        if (piece.length() > CACHED_PIECE_MAX_LENGTH) {
            return model.encodePiece(piece.getBytes(StandardCharsets.UTF_8));
        }
        int[] ids = cache.get(piece);
        if (ids == null) {
            ids = model.encodePiece(piece.getBytes(StandardCharsets.UTF_8));
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(piece, ids);
        }
        return ids;
    }
}
