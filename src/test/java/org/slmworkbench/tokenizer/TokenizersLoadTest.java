package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

class TokenizersLoadTest {
    @TempDir
    Path dir;

    private BadInputException loadFails(Path file, String problem) {
        return loadFails(file, file, problem);
    }

    private BadInputException loadFails(Path file, Path named, String problem) {
        BadInputException e = assertThrows(BadInputException.class, () -> Tokenizers.load(file).close());
        assertTrue(e.getMessage().startsWith(named + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        return e;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void missingFile() {
        loadFails(dir.resolve("nope.json"), "no such file");
    }

    @Test
    void folderWithoutTokenizerJson() {
        loadFails(dir, dir.resolve("tokenizer.json"), "no such file");
    }

    @Test
    void folderWithTokenizerJsonLoadsIt() {
        CharTokenizer.fromText("xyz", false).save(dir.resolve("tokenizer.json"));
        try (TextTokenizer tokenizer = Tokenizers.load(dir)) {
            assertArrayEquals(new int[] {2, 0, 3}, tokenizer.encode("zx?"));
            assertEquals(-1, tokenizer.eosId());
        }
    }

    @Test
    void notJson() throws IOException {
        BadInputException e = loadFails(write("a.json", "vocab: [1, 2"), "not valid JSON (error at line 1 column");
        assertEquals(1, e.getMessage().lines().count(), "a one-line message");
        Path truncated = dir.resolve("b.json");
        TrainedTokenizers.mixed().save(truncated);
        String full = Files.readString(truncated);
        Files.writeString(truncated, full.substring(0, full.length() / 2));
        loadFails(truncated, "not valid JSON");
    }

    @Test
    void binaryGarbage() throws IOException {
        Path file = Files.write(dir.resolve("weights.bin"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1, (byte) 0x80});
        loadFails(file, "not UTF-8");
    }

    @Test
    void jsonThatIsNoTokenizer() throws IOException {
        loadFails(write("c.json", "[1, 2, 3]"), "not a tokenizer.json");
        loadFails(write("d.json", "{\"hidden_size\": 128}"), "no \"model\"");
    }

    @Test
    void modelTheLibraryCannotRun() throws IOException {
        BadInputException e = loadFails(
                write("e.json", "{\"version\": \"1.0\", \"model\": {\"type\": \"Magic\", \"vocab\": {\"a\": 0}}}"),
                "Hugging Face tokenizers library cannot load it");
        assertTrue(e.getCause() == null, "message only, no stack trace to show");
    }
}
