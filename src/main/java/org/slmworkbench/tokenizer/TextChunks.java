package org.slmworkbench.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts long text into chunks that tokenize to the same ids, one after the other, as the whole
 * text. The Hugging Face library slows down on multi-megabyte strings (8 MB took 10 s whole and
 * under 4 s in 64 KB chunks), so the DJL-backed tokenizer encodes such text chunk by chunk when
 * {@link #safeFor} says the tokenizer allows it.
 *
 * <p>A cut goes right after a line break that has a non-whitespace character on both sides.
 * There GPT-2 pre-tokenization always ends one piece before the line break, makes the line break
 * a piece of its own and starts a new piece after it, so no piece spans the cut and the pieces
 * do not depend on what lies beyond it. With {@link PreTokenization#GPT2_INDIVIDUAL_DIGITS} this
 * still holds: digits are cut out one character at a time, whatever surrounds them, and the
 * GPT-2 regex runs on each stretch between them; a cut either ends such a stretch (a digit
 * follows the line break) or divides it right after a line break preceded by non-whitespace or
 * by the stretch's start, where the argument above applies.
 */
final class TextChunks {
    private TextChunks() {}

    /** The text in order, cut at the first safe point after each {@code targetChars}. */
    static List<String> split(String text, int targetChars) {
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int cut = start + targetChars;
            while (cut < text.length() && !safeCut(text, cut)) {
                cut++;
            }
            cut = Math.min(cut, text.length());
            chunks.add(text.substring(start, cut));
            start = cut;
        }
        return chunks;
    }

    private static boolean safeCut(String text, int at) {
        return at >= 2
                && text.charAt(at - 1) == '\n'
                && !isWhiteSpace(text.charAt(at - 2))
                && !isWhiteSpace(text.charAt(at));
    }

    /** Unicode White_Space, the \s of the pre-tokenizer regex (no such character is outside the BMP). */
    static boolean isWhiteSpace(char c) {
        return (c >= '\t' && c <= '\r') || c == ' ' || c == '\u0085' || c == '\u00A0' || c == '\u1680'
                || (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029' || c == '\u202F'
                || c == '\u205F' || c == '\u3000';
    }

    /**
     * Whether chunking keeps a tokenizer's ids: no normalizer; added tokens that match only
     * themselves (no stripping of neighbouring space, no whole-word rule, no whitespace inside);
     * and either one of our {@link PreTokenization}s, or no pre-tokenizer and a BPE without
     * merges, fusing or affixes (character level, where every cut is safe).
     */
    static boolean safeFor(TokenizerJsonFile file) {
        JsonObject root = file.root();
        if (!isNull(root.get("normalizer")) || !addedTokensMatchOnlyThemselves(root.get("added_tokens"))) {
            return false;
        }
        JsonElement pre = root.get("pre_tokenizer");
        if (isNull(pre)) {
            JsonObject model = file.model();
            JsonElement merges = model.get("merges");
            return file.modelType().equals("BPE")
                    && merges != null && merges.isJsonArray() && merges.getAsJsonArray().isEmpty()
                    && !isTrue(model.get("fuse_unk"))
                    && isNullOrEmpty(model.get("continuing_subword_prefix"))
                    && isNullOrEmpty(model.get("end_of_word_suffix"));
        }
        return PreTokenization.fromJson(pre).isPresent();
    }

    private static boolean addedTokensMatchOnlyThemselves(JsonElement added) {
        if (isNull(added)) {
            return true;
        }
        if (!added.isJsonArray()) {
            return false;
        }
        for (JsonElement element : (JsonArray) added) {
            if (!element.isJsonObject()) {
                return false;
            }
            JsonObject token = element.getAsJsonObject();
            JsonElement content = token.get("content");
            if (content == null || !content.isJsonPrimitive() || isTrue(token.get("lstrip"))
                    || isTrue(token.get("rstrip")) || isTrue(token.get("single_word"))
                    || content.getAsString().chars().anyMatch(c -> isWhiteSpace((char) c))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNull(JsonElement e) {
        return e == null || e.isJsonNull();
    }

    private static boolean isTrue(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean();
    }

    private static boolean isNullOrEmpty(JsonElement e) {
        return isNull(e) || (e.isJsonPrimitive() && e.getAsString().isEmpty());
    }
}
