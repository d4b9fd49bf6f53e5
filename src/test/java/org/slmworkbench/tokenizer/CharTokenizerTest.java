package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharTokenizerTest {
    private static final Path LOGS = Path.of("sample-logs/train/syslog.log");

    @TempDir
    Path dir;

    @Test
    void aLogFileRoundTripsThroughHuggingFace() throws IOException {
        String text = Files.readString(LOGS);
        int distinct = (int) text.chars().distinct().count();
        CharTokenizer chars = CharTokenizer.fromText(text, true);
        assertEquals(distinct, chars.characterCount());
        assertEquals(distinct, chars.eosId());
        assertEquals(distinct + 1, chars.unkId());
        assertEquals(distinct + 2, chars.vocabSize());
        assertArrayEquals(new int[] {0, 1}, chars.encode("\n "), "ids follow character order");

        Path file = dir.resolve("tokenizer.json");
        chars.save(file);
        try (TextTokenizer hf = Tokenizers.load(file)) {
            assertEquals(distinct + 2, hf.vocabSize());
            assertEquals(distinct, hf.eosId());
            int[] ids = chars.encode(text);
            assertEquals(text.length(), ids.length);
            assertArrayEquals(ids, hf.encode(text));
            assertEquals(text, hf.decode(ids));
            assertEquals(text, chars.decode(ids));
        }
    }

    @Test
    void withoutEndOfTextTheUnknownTokenFollowsTheCharacters() {
        CharTokenizer chars = CharTokenizer.fromText("banana", false);
        assertEquals(3, chars.characterCount());
        assertEquals(-1, chars.eosId());
        assertEquals(3, chars.unkId());
        assertEquals(4, chars.vocabSize());
        assertArrayEquals(new int[] {1, 0, 2, 3, 3, 3}, chars.encode("ban<|e"));
    }

    @Test
    void unknownCharactersAndEndOfTextMatchHuggingFace() {
        CharTokenizer chars = CharTokenizer.fromText("ab \n𝔘😀<|endoftext|>", true);
        assertEquals(6, chars.characterCount(), "the literal end-of-text is not taken apart");
        Path file = dir.resolve("tokenizer.json");
        chars.save(file);
        try (TextTokenizer hf = Tokenizers.load(file)) {
            String text = "a<|endoftext|>é😀b";
            int[] ids = chars.encode(text);
            assertArrayEquals(new int[] {2, chars.eosId(), chars.unkId(), 5, 3}, ids);
            assertArrayEquals(ids, hf.encode(text));
            assertEquals("a<|endoftext|><unk>😀b", hf.decode(ids));
            assertEquals("a<|endoftext|><unk>😀b", chars.decode(ids));
        }
    }

    @Test
    void randomTextMatchesHuggingFace() {
        Random random = new Random(21);
        StringBuilder training = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            training.append(RandomText.string(random, 20));
        }
        CharTokenizer chars = CharTokenizer.fromText(training.toString(), true);
        Path file = dir.resolve("tokenizer.json");
        chars.save(file);
        try (TextTokenizer hf = Tokenizers.load(file)) {
            for (int i = 0; i < 200; i++) {
                String text = RandomText.string(random, 30);
                int[] ids = chars.encode(text);
                assertArrayEquals(ids, hf.encode(text), text);
                assertEquals(chars.decode(ids), hf.decode(ids), text);
            }
        }
    }

    @Test
    void rejectsUnpairedSurrogates() {
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fromText("a\uD800b", false));
    }
}
