package org.slmworkbench.tokenizer;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's pre-tokenization: cuts text into contractions, letter runs, digit runs, other-symbol
 * runs (each with at most one leading space) and whitespace runs, exactly like the Hugging Face
 * ByteLevel pre-tokenizer with {@code use_regex: true}. BPE merges never cross these pieces.
 */
final class Gpt2PreTokenizer {
    // UNICODE_CHARACTER_CLASS makes \s the Unicode White_Space set, as in Oniguruma, which the
    // Hugging Face library uses; plain Java \s would miss NBSP, U+2028 and the like.
    private static final Pattern PIECE = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private Gpt2PreTokenizer() {}

    /** Hands the pieces of {@code text} to {@code piece} in order; together they are the text. */
    static void split(String text, Consumer<String> piece) {
        Matcher m = PIECE.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() > end) { // the pattern covers every code point; this is a safety net
                piece.accept(text.substring(end, m.start()));
            }
            piece.accept(m.group());
            end = m.end();
        }
        if (end < text.length()) {
            piece.accept(text.substring(end));
        }
    }
}
