package org.slmworkbench.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Character-level tokenizer for benchmarks (tinyshakespeare gives 65 characters). Ids 0..n-1
 * are the distinct characters (code points) of the training text in ascending order; then, if
 * asked for, {@code <|endoftext|>} is id n; {@code <unk>} is always the last id and stands for
 * any character the training text did not have (it decodes to the text "<unk>").
 */
public final class CharTokenizer implements TextTokenizer {
    private final int[] codePoints; // sorted; a character's id is its index
    private final int eosId;
    private final int unkId;

    private CharTokenizer(int[] codePoints, boolean withEndOfText) {
        this.codePoints = codePoints;
        this.eosId = withEndOfText ? codePoints.length : -1;
        this.unkId = codePoints.length + (withEndOfText ? 1 : 0);
    }

    /**
     * A tokenizer for the characters of {@code text} (a literal {@code <|endoftext|>} in it is
     * not taken apart into characters when {@code withEndOfText} is set).
     *
     * @throws IllegalArgumentException if the text has an unpaired surrogate, which is no
     *     character and cannot be written to a tokenizer.json
     */
    public static CharTokenizer fromText(String text, boolean withEndOfText) {
        StringBuilder characters = new StringBuilder(text.length());
        if (withEndOfText) {
            SpecialTokens.split(text, SpecialTokens.END_OF_TEXT, characters::append, () -> {});
        } else {
            characters.append(text);
        }
        int[] distinct = characters.codePoints().sorted().distinct().toArray();
        for (int cp : distinct) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                throw new IllegalArgumentException(String.format("the text has an unpaired surrogate U+%04X", cp));
            }
        }
        return new CharTokenizer(distinct, withEndOfText);
    }

    @Override
    public int[] encode(String text) {
        IntList out = new IntList(text.length());
        Consumer<String> characters = s -> s.codePoints().forEach(cp -> out.add(idOf(cp)));
        if (eosId < 0) {
            characters.accept(text);
        } else {
            SpecialTokens.split(text, SpecialTokens.END_OF_TEXT, characters, () -> out.add(eosId));
        }
        return out.toArray();
    }

    private int idOf(int codePoint) {
        int id = Arrays.binarySearch(codePoints, codePoint);
        return id >= 0 ? id : unkId;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder(ids.length);
        for (int id : ids) {
            text.append(tokenString(id));
        }
        return text.toString();
    }

    private String tokenString(int id) {
        if (id >= 0 && id < codePoints.length) {
            return Character.toString(codePoints[id]);
        } else if (id == eosId) {
            return SpecialTokens.END_OF_TEXT;
        } else if (id == unkId) {
            return SpecialTokens.UNKNOWN;
        }
        throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (size " + vocabSize() + ")");
    }

    @Override
    public int vocabSize() {
        return unkId + 1;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    /** Id of {@code <unk>}, the last id. */
    public int unkId() {
        return unkId;
    }

    /** Number of distinct characters, without the special tokens. */
    public int characterCount() {
        return codePoints.length;
    }

    /**
     * Writes a Hugging Face {@code tokenizer.json}: a BPE model without merges and without
     * pre-tokenizer, so each character is its own token, and a Fuse decoder, which joins tokens
     * without the spaces the library would otherwise put between them.
     */
    public void save(Path tokenizerJson) {
        JsonObject vocab = new JsonObject();
        for (int id = 0; id < vocabSize(); id++) {
            vocab.addProperty(tokenString(id), id);
        }
        JsonArray added = new JsonArray();
        if (eosId >= 0) {
            added.add(TokenizerJsonWriter.specialToken(eosId, SpecialTokens.END_OF_TEXT));
        }
        JsonObject fuse = new JsonObject();
        fuse.addProperty("type", "Fuse");
        TokenizerJsonWriter.write(
                TokenizerJsonWriter.document(added, JsonNull.INSTANCE, fuse,
                        TokenizerJsonWriter.bpeModel(vocab, new JsonArray(), SpecialTokens.UNKNOWN)),
                tokenizerJson);
    }

    @Override
    public void close() {
        // nothing native to release
    }
}
