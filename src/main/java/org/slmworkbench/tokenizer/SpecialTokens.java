package org.slmworkbench.tokenizer;

import java.util.function.Consumer;

/** The special tokens our tokenizers know, and how text is cut around them. */
final class SpecialTokens {
    static final String END_OF_TEXT = "<|endoftext|>";
    static final String UNKNOWN = "<unk>";

    private SpecialTokens() {}

    /**
     * Hands the parts of {@code text} between occurrences of {@code token} to {@code segment}
     * (non-empty parts only) and reports each occurrence to {@code onToken}, in text order. The
     * Hugging Face library cuts out added tokens the same way before pre-tokenizing.
     */
    static void split(String text, String token, Consumer<String> segment, Runnable onToken) {
        int from = 0;
        int at;
        while ((at = text.indexOf(token, from)) >= 0) {
            if (at > from) {
                segment.accept(text.substring(from, at));
            }
            onToken.run();
            from = at + token.length();
        }
        if (from < text.length()) {
            segment.accept(from == 0 ? text : text.substring(from));
        }
    }
}
