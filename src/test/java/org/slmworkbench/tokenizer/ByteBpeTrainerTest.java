package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteBpeTrainerTest {
    @TempDir
    Path dir;

    @Test
    void learnsFourThousandTokensFromTwoMegabytesOfLogs() {
        TrainedTokenizers.OnLogs trained = TrainedTokenizers.onLogs();
        ByteBpeTokenizer tokenizer = trained.tokenizer();
        byte[] bytes = trained.text().getBytes(StandardCharsets.UTF_8);
        System.out.printf("trained 4096 tokens on %.2f MB of logs in %.2f s%n", bytes.length / 1e6, trained.trainSeconds());
        assertEquals(4096, tokenizer.vocabSize());
        assertEquals(4095, tokenizer.eosId());
        assertEquals(4096 - 257, tokenizer.mergeCount(), "no two merges made the same token here");

        String unseen = SyntheticLogs.generate(200_000, 99);
        int[] ids = tokenizer.encode(unseen);
        double tokensPerByte = ids.length / (double) unseen.getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("%.3f tokens per byte on unseen log lines%n", tokensPerByte);
        assertTrue(tokensPerByte < 0.5, "tokens per byte " + tokensPerByte);
        assertEquals(unseen, tokenizer.decode(ids));
    }

    @Test
    void sameInputGivesIdenticalFiles() throws IOException {
        String text = SyntheticLogs.generate(100_000, 5) + "Ωμέγα 日本語 😀 <|endoftext|> x";
        Path first = dir.resolve("first.json");
        Path second = dir.resolve("second.json");
        ByteBpeTrainer.train(text.getBytes(StandardCharsets.UTF_8), 800).save(first);
        ByteBpeTrainer.train(List.of(text), 800).save(second);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void mostFrequentPairIsMergedFirst() {
        ByteBpeTokenizer tokenizer = ByteBpeTrainer.train(List.of("ab ab ab cd cd"), 258);
        assertEquals(1, tokenizer.mergeCount());
        assertArrayEquals(new int[] {256}, tokenizer.encode("ab"));
        assertArrayEquals(new int[] {'c', 'd'}, tokenizer.encode("cd"));
    }

    @Test
    void mergesStayInsideDocuments() {
        ByteBpeTokenizer tokenizer = ByteBpeTrainer.train(List.of("xa", "bx", "xa", "bx"), 260);
        assertArrayEquals(new int[] {'a', 'b'}, tokenizer.encode("ab"), "a|b never met within a document");
    }

    @Test
    void stopsEarlyWhenNoPairRepeats() {
        ByteBpeTokenizer tokenizer = ByteBpeTrainer.train("hello hello".getBytes(StandardCharsets.UTF_8), 5000);
        assertTrue(tokenizer.vocabSize() < 270, "vocabulary " + tokenizer.vocabSize());
        assertEquals(tokenizer.vocabSize() - 1, tokenizer.eosId());
        assertEquals(1, tokenizer.encode("hello").length);
    }

    @Test
    void rejectsVocabularySizesOutOfRange() {
        byte[] corpus = "some text".getBytes(StandardCharsets.UTF_8);
        for (int size : new int[] {0, 257, 65537}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ByteBpeTrainer.train(corpus, size));
            assertTrue(e.getMessage().contains("between 258 and 65536"), e.getMessage());
        }
    }
}
