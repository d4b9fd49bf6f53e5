package org.slmworkbench.generate;

import java.util.Arrays;
import org.slmworkbench.tokenizer.TextTokenizer;

/**
 * Turns tokens arriving one by one into text deltas. A byte-level token can end inside a UTF-8
 * character, so text is held back while the decoded tail is an incomplete character.
 */
public final class TextStream {
    private final TextTokenizer tokenizer;
    private int[] ids = new int[0];
    private int emitted;

    public TextStream(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds a token and returns the new text that is now certain (possibly empty). */
    public String push(int id) {
        ids = Arrays.copyOf(ids, ids.length + 1);
        ids[ids.length - 1] = id;
        String text = tokenizer.decode(ids);
        int end = text.length();
        if (end > emitted && text.charAt(end - 1) == '\uFFFD') {
            return "";
        }
        String delta = end > emitted ? text.substring(emitted) : "";
        emitted = Math.max(emitted, end);
        return delta;
    }

    /** Everything decoded so far, including a held-back tail. */
    public String text() {
        return tokenizer.decode(ids);
    }
}
