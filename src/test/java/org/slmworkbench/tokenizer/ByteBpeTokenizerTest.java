package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

class ByteBpeTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void anyBytesRoundTripExactly() {
        ByteBpeTokenizer tokenizer = TrainedTokenizers.mixed();
        Random random = new Random(1);
        int merged = 0;
        for (int i = 0; i < 600; i++) {
            byte[] bytes = RandomText.bytes(random, 2048);
            int[] ids = tokenizer.encodeBytes(bytes);
            assertArrayEquals(bytes, tokenizer.decodeBytes(ids), () -> "bytes " + Arrays.toString(bytes));
            assertTrue(Arrays.stream(ids).allMatch(id -> id >= 0 && id < tokenizer.vocabSize()));
            merged += bytes.length - ids.length;
        }
        assertTrue(merged > 0, "merges were applied");
    }

    @Test
    void everySingleByteRoundTrips() {
        ByteBpeTokenizer tokenizer = TrainedTokenizers.mixed();
        for (int b = 0; b < 256; b++) {
            byte[] one = {(byte) b};
            assertArrayEquals(new int[] {b}, tokenizer.encodeBytes(one), "ids 0..255 are the bytes");
            assertArrayEquals(one, tokenizer.decodeBytes(new int[] {b}));
        }
    }

    @Test
    void stringAndUtf8BytesGiveTheSameIds() {
        ByteBpeTokenizer tokenizer = TrainedTokenizers.mixed();
        Random random = new Random(2);
        for (int i = 0; i < 300; i++) {
            String text = RandomText.string(random, 30);
            int[] ids = tokenizer.encode(text);
            assertArrayEquals(ids, tokenizer.encodeBytes(text.getBytes(StandardCharsets.UTF_8)));
            assertEquals(text, tokenizer.decode(ids));
        }
    }

    @Test
    void endOfTextIsTheLastIdAndIsRecognisedInText() {
        ByteBpeTokenizer tokenizer = TrainedTokenizers.mixed();
        int eos = tokenizer.eosId();
        assertEquals(tokenizer.vocabSize() - 1, eos);
        int[] ids = tokenizer.encode("a<|endoftext|>b<|endoftext|>");
        assertArrayEquals(new int[] {'a', eos, 'b', eos}, ids);
        assertEquals("a<|endoftext|>b<|endoftext|>", tokenizer.decode(ids));
        assertEquals("<|endoftext|>", tokenizer.decode(new int[] {eos}));
    }

    @Test
    void decodingAnIdOutsideTheVocabularyFails() {
        ByteBpeTokenizer tokenizer = TrainedTokenizers.mixed();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.decode(new int[] {tokenizer.vocabSize()}));
        assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
    }

    @Test
    void saveThenLoadGivesTheSameTokenizer() throws IOException {
        ByteBpeTokenizer tokenizer = TrainedTokenizers.mixed();
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        ByteBpeTokenizer loaded = ByteBpeTokenizer.load(file);
        assertEquals(tokenizer.vocabSize(), loaded.vocabSize());
        assertEquals(tokenizer.eosId(), loaded.eosId());
        assertEquals(tokenizer.mergeCount(), loaded.mergeCount());
        Random random = new Random(3);
        for (int i = 0; i < 100; i++) {
            byte[] bytes = RandomText.bytes(random, 1024);
            assertArrayEquals(tokenizer.encodeBytes(bytes), loaded.encodeBytes(bytes));
        }
        Path again = dir.resolve("again.json");
        loaded.save(again);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    }

    @Test
    void fileHasTheHuggingFaceLayout() throws IOException {
        ByteBpeTokenizer tokenizer = TrainedTokenizers.mixed();
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        TokenizerJsonFile json = TokenizerJsonFile.read(file);
        assertEquals("1.0", json.root().get("version").getAsString());
        assertEquals("BPE", json.modelType());
        assertEquals("ByteLevel", json.root().getAsJsonObject("pre_tokenizer").get("type").getAsString());
        assertEquals("ByteLevel", json.root().getAsJsonObject("decoder").get("type").getAsString());
        assertTrue(json.root().get("normalizer").isJsonNull());
        assertEquals(tokenizer.vocabSize(), json.vocabObject().size());
        assertEquals(tokenizer.mergeCount(), json.merges().size());
        assertEquals(List.of(new AddedToken(tokenizer.eosId(), "<|endoftext|>")), json.addedTokens());
        assertTrue(json.root().getAsJsonArray("added_tokens").get(0).getAsJsonObject().get("special").getAsBoolean());
        assertEquals(Integer.valueOf(' '), json.vocabObject().get("Ġ"));
    }

    @Test
    void loadRefusesWhatItCannotReproduce() throws IOException {
        Path chars = dir.resolve("chars.json");
        CharTokenizer.fromText("abc", true).save(chars);
        BadInputException e = assertThrows(BadInputException.class, () -> ByteBpeTokenizer.load(chars));
        assertTrue(e.getMessage().startsWith(chars + ": "), e.getMessage());

        Path file = dir.resolve("tokenizer.json");
        TrainedTokenizers.mixed().save(file);
        String json = Files.readString(file);
        Path extraToken = dir.resolve("extra.json");
        Files.writeString(extraToken, json.replace("\"content\": \"<|endoftext|>\"", "\"content\": \"<pad>\""));
        e = assertThrows(BadInputException.class, () -> ByteBpeTokenizer.load(extraToken));
        assertTrue(e.getMessage().contains("<pad>"), e.getMessage());

        Path prefixSpace = dir.resolve("prefix.json");
        Files.writeString(prefixSpace, json.replaceFirst("\"add_prefix_space\": false", "\"add_prefix_space\": true"));
        e = assertThrows(BadInputException.class, () -> ByteBpeTokenizer.load(prefixSpace));
        assertTrue(e.getMessage().contains("prefix"), e.getMessage());
    }
}
