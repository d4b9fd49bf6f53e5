package org.slmworkbench.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.slmworkbench.FuzzFiles;

/**
 * Any bytes as a dataset file: byte 0 picks the extension (log, jsonl, json or csv), the rest is
 * the file. It is previewed and loaded with a small cap, and a dataset that loads stays within it.
 */
class TextDatasetFuzzTest {
    private static final List<String> EXTENSIONS = List.of("log", "jsonl", "json", "csv");
    private static final long CAP = 300;
    private static final DataOptions OPTIONS = new DataOptions("text", null, Set.of(), CAP);
    private static Path dir;

    @BeforeAll
    static void folder() {
        dir = FuzzFiles.folder(TextDatasetFuzzTest.class);
    }

    @FuzzTest(maxDuration = "4s")
    void previewAndLoad(byte[] input) throws Exception {
        String extension = input.length == 0 ? "log" : EXTENSIONS.get((input[0] & 0xFF) % EXTENSIONS.size());
        Path file = FuzzFiles.write(dir.resolve("data." + extension), input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length));
        FuzzFiles.readOrRefuse(file, () -> DatasetLoader.preview(file, 5, OPTIONS));
        FuzzFiles.readOrRefuse(file, () -> {
            TextDataset data = DatasetLoader.load(List.of(file), 0.1, OPTIONS);
            assertTrue(data.trainChars() + data.heldoutChars() <= CAP, "the cap was exceeded");
            assertTrue(data.trainChars() > 0, "a dataset that loads has text to train on");
        });
    }
}
