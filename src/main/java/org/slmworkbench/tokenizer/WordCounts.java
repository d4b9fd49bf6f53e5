package org.slmworkbench.tokenizer;

import java.util.HashMap;
import java.util.Map;

/**
 * How often each pre-tokenized piece occurs in a training corpus. BPE training works on these
 * unique pieces instead of the running text, which is what makes it fast.
 */
final class WordCounts {
    private final Map<String, int[]> counts = new HashMap<>();
    private final PreTokenization preTokenization;

    WordCounts(PreTokenization preTokenization) {
        this.preTokenization = preTokenization;
    }

    /** Counts the pieces of well-formed text; {@code <|endoftext|>} is left out. */
    void addText(String text) {
        SpecialTokens.split(text, SpecialTokens.END_OF_TEXT,
                segment -> preTokenization.split(segment, this::addPiece), () -> {});
    }

    private void addPiece(String piece) {
        if (piece.length() == 1 && piece.charAt(0) < 0x80) {
            return; // a single byte: no pair to count
        }
        counts.computeIfAbsent(piece, p -> new int[1])[0]++;
    }

    Map<String, int[]> counts() {
        return counts;
    }
}
