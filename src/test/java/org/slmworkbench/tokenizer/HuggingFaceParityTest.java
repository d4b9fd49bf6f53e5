package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our Java encoder and the Hugging Face library, loaded from the file we write, must agree. */
class HuggingFaceParityTest {
    @TempDir
    Path dir;

    private TextTokenizer loadSaved(ByteBpeTokenizer tokenizer) {
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        return Tokenizers.load(file);
    }

    @Test
    void sameIdsOnRandomText() {
        ByteBpeTokenizer java = TrainedTokenizers.mixed();
        try (TextTokenizer hf = loadSaved(java)) {
            assertEquals(java.vocabSize(), hf.vocabSize());
            assertEquals(java.eosId(), hf.eosId());
            Random random = new Random(11);
            for (int i = 0; i < 400; i++) {
                String text = RandomText.string(random, 40);
                int[] ids = java.encode(text);
                assertArrayEquals(ids, hf.encode(text), () -> "ids differ for " + escape(text));
                assertEquals(text, hf.decode(ids), () -> "decode differs for " + escape(text));
            }
        }
    }

    @Test
    void longTextIsNotTruncated() {
        ByteBpeTokenizer java = TrainedTokenizers.mixed();
        String text = SyntheticLogs.generate(60_000, 3);
        try (TextTokenizer hf = loadSaved(java)) {
            int[] ids = hf.encode(text);
            assertTrue(ids.length > 10_000, "ids " + ids.length);
            assertArrayEquals(java.encode(text), ids);
            assertEquals(text, hf.decode(ids));
        }
    }

    @Test
    void longTextIsEncodedInChunksWithTheSameIds() {
        Random random = new Random(12);
        String[] lineEnds = {"\n", "\n", " \n", "\n ", "\n\n", "\r\n", "\u00A0\n", "\n\t", "<|endoftext|>\n"};
        StringBuilder text = new StringBuilder();
        while (text.length() < 400_000) {
            text.append(RandomText.string(random, 12)).append(lineEnds[random.nextInt(lineEnds.length)]);
        }
        ByteBpeTokenizer java = TrainedTokenizers.mixed();
        try (TextTokenizer hf = loadSaved(java)) {
            assertArrayEquals(java.encode(text.toString()), hf.encode(text.toString()));
        }
    }

    @Test
    void sameIdsOnTwoMegabytesOfLogs() {
        TrainedTokenizers.OnLogs trained = TrainedTokenizers.onLogs();
        String text = trained.text();
        try (TextTokenizer hf = loadSaved(trained.tokenizer())) {
            trained.tokenizer().encode(text); // warm up the JIT and the piece cache, as in real use
            long start = System.nanoTime();
            int[] javaIds = trained.tokenizer().encode(text);
            long middle = System.nanoTime();
            int[] hfIds = hf.encode(text);
            long end = System.nanoTime();
            String decoded = hf.decode(hfIds);
            long decodeEnd = System.nanoTime();
            System.out.printf("encode %.2f MB: Java %.3f s, Hugging Face via DJL %.3f s (decode %.3f s), %d tokens%n",
                    text.length() / 1e6, (middle - start) / 1e9, (end - middle) / 1e9, (decodeEnd - end) / 1e9,
                    javaIds.length);
            assertArrayEquals(javaIds, hfIds);
            assertEquals(text, decoded);
        }
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> out.append(cp >= 0x20 && cp < 0x7F ? Character.toString(cp) : String.format("\\u{%X}", cp)));
        return out.toString();
    }
}
