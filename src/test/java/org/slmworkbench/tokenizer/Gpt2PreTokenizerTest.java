package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Gpt2PreTokenizerTest {

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        Gpt2PreTokenizer.split(text, pieces::add);
        return pieces;
    }

    @Test
    void splitsLikeGpt2() {
        assertEquals(List.of("Hello", " world", "'s", " 123", " ", " x", "!!", "\n"), pieces("Hello world's 123  x!!\n"));
    }

    @Test
    void logLine() {
        assertEquals(List.of("Mar", " ", " 4", " 06", ":", "25", ":", "13", " sshd", "[", "42", "]:", " from", " 10", ".",
                "0", ".", "0", ".", "1"), pieces("Mar  4 06:25:13 sshd[42]: from 10.0.0.1"));
    }

    @Test
    void unicodeWhitespaceCountsAsWhitespace() {
        // NBSP and the ideographic space are White_Space, as in the Hugging Face library
        assertEquals(List.of("a", "\u00A0", "b", "\u3000", "c"), pieces("a\u00A0b\u3000c"));
    }

    @Test
    void lettersDigitsAndSymbolsOfOtherScripts() {
        assertEquals(List.of("日本語", " Ωμέγα", " ٣٤", "😀👍"), pieces("日本語 Ωμέγα ٣٤😀👍"));
    }
}
