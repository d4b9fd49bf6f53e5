package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextChunksTest {
    @TempDir
    Path dir;

    @Test
    void chunksJoinBackAndEndAtSafeLineBreaks() {
        Random random = new Random(4);
        StringBuilder text = new StringBuilder();
        while (text.length() < 50_000) {
            text.append(RandomText.string(random, 10)).append(random.nextBoolean() ? "\n" : " \n ");
        }
        List<String> chunks = TextChunks.split(text.toString(), 1000);
        assertTrue(chunks.size() > 10, "chunks " + chunks.size());
        assertEquals(text.toString(), String.join("", chunks));
        for (String chunk : chunks.subList(0, chunks.size() - 1)) {
            assertTrue(chunk.length() >= 1000);
            assertEquals('\n', chunk.charAt(chunk.length() - 1));
            assertFalse(TextChunks.isWhiteSpace(chunk.charAt(chunk.length() - 2)));
        }
    }

    @Test
    void textWithoutSafeCutStaysWhole() {
        String text = "a \n b\n\nc\n d ".repeat(100);
        assertEquals(List.of(text), TextChunks.split(text, 10));
    }

    @Test
    void ourTokenizersAllowChunking() {
        Path bytes = dir.resolve("bytes.json");
        TrainedTokenizers.mixed().save(bytes);
        assertTrue(TextChunks.safeFor(TokenizerJsonFile.read(bytes)));
        Path digits = dir.resolve("digits.json");
        TrainedTokenizers.digits().save(digits);
        assertTrue(TextChunks.safeFor(TokenizerJsonFile.read(digits)));
        Path chars = dir.resolve("chars.json");
        CharTokenizer.fromText("abc", true).save(chars);
        assertTrue(TextChunks.safeFor(TokenizerJsonFile.read(chars)));
    }

    @Test
    void otherSetupsDoNot() throws IOException {
        Path file = dir.resolve("bytes.json");
        TrainedTokenizers.mixed().save(file);
        String json = Files.readString(file);
        assertFalse(safeFor(json.replaceFirst("\"add_prefix_space\": false", "\"add_prefix_space\": true")));
        assertFalse(safeFor(json.replaceFirst("\"add_prefix_space\": false,", "")), "the library requires it");
        assertFalse(safeFor(json.replace("\"normalizer\": null", "\"normalizer\": {\"type\": \"NFC\"}")));
        assertFalse(safeFor(json.replace("\"lstrip\": false", "\"lstrip\": true")));
        assertFalse(safeFor(json.replace("<|endoftext|>", "<|end of text|>")));
        assertFalse(safeFor(json.replaceFirst("\"type\": \"ByteLevel\"", "\"type\": \"Metaspace\"")));

        Path digits = dir.resolve("digits.json");
        TrainedTokenizers.digits().save(digits);
        String digitsJson = Files.readString(digits);
        assertFalse(safeFor(digitsJson.replace("\"individual_digits\": true", "\"individual_digits\": false")),
                "runs of digits would cut differently");
        assertFalse(safeFor(digitsJson.replace("\"type\": \"Digits\"", "\"type\": \"Punctuation\"")));

        Path chars = dir.resolve("chars.json");
        CharTokenizer.fromText("abc", false).save(chars);
        String charJson = Files.readString(chars);
        assertFalse(safeFor(charJson.replace("\"merges\": []", "\"merges\": [\"a b\"]")), "merges may cross a cut");
        assertFalse(safeFor(charJson.replace("\"fuse_unk\": false", "\"fuse_unk\": true")));
    }

    private boolean safeFor(String json) throws IOException {
        return TextChunks.safeFor(TokenizerJsonFile.read(Files.writeString(dir.resolve("variant.json"), json)));
    }
}
