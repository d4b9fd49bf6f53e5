package org.slmworkbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.slmworkbench.data.DataFiles.write;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

/** Reading stops at the character cap: a file far larger than the cap costs no more than the cap. */
class StreamingLoadTest {
    private static final long FILE_BYTES = 50L * 1024 * 1024;
    private static final int ROW_CHARS = 1_000;

    @TempDir
    static Path shared;
    static Path big;

    @TempDir
    Path temp;

    /** About 50 MB of JSON Lines, rows of 1,000 characters each. */
    @BeforeAll
    static void writeBigFile() throws IOException {
        big = shared.resolve("big.jsonl");
        String filler = "lorem ipsum dolor sit amet ".repeat(ROW_CHARS / 27 + 1);
        try (BufferedWriter out = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            for (long row = 0; row <= FILE_BYTES / ROW_CHARS; row++) { // each line is a little longer than a row's text
                String text = String.format("row %08d ", row) + filler;
                out.write("{\"id\": " + row + ", \"text\": \"" + text.substring(0, ROW_CHARS) + "\"}\n");
            }
        }
        assertTrue(Files.size(big) >= FILE_BYTES * 0.95, "the test file is about 50 MB");
    }

    private static DataOptions cap(long maxChars) {
        return new DataOptions(DataOptions.DEFAULT_FIELD, null, Set.of(), maxChars);
    }

    /**
     * Bytes the current thread allocates on the heap while {@code work} runs: an upper bound on how
     * much the heap can grow by it, and far below the file's size only if the file was not read whole.
     */
    private static <T> long allocatedBytes(Supplier<T> work) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemoryEnabled());
        long before = counter.getCurrentThreadAllocatedBytes();
        work.get();
        return counter.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aFiftyMegabyteFileIsReadOnlyUpToTheCap() {
        TextDataset[] data = new TextDataset[1];
        long allocated = allocatedBytes(() -> data[0] = DatasetLoader.load(List.of(big), 0.1, cap(1_000_000)));

        assertEquals(1_000_000, data[0].trainChars() + data[0].heldoutChars(), "exactly the cap: the last row is cut to fit");
        assertTrue(data[0].truncated());
        assertEquals(1_000, data[0].train().size() + data[0].heldout().size());
        assertEquals(100, data[0].heldout().size(), "every 10th row");
        assertTrue(data[0].train().get(0).text().startsWith("row 00000000 lorem"));
        // 1 M characters of kept text, plus per-row garbage (the line, the JSON parser's buffers) of a few
        // times that; reading the whole file would allocate at least its 50 MB of bytes
        assertTrue(allocated < FILE_BYTES / 4, "allocated " + allocated / 1_000_000 + " MB while loading");
    }

    @Test
    void previewReadsOnlyTheRowsItShows() {
        List<String>[] rows = new List[1];
        long allocated = allocatedBytes(() -> rows[0] = DatasetLoader.preview(big, 3, DataOptions.DEFAULTS));
        assertEquals(3, rows[0].size());
        assertTrue(rows[0].get(2).startsWith("row 00000002 lorem"));
        assertTrue(allocated < 2_000_000, "allocated " + allocated + " bytes for a preview of 3 rows");
    }

    @Test
    void aTextFileIsCutAtTheLastLineEndWithinTheCap() throws IOException {
        Path file = write(temp.resolve("lines.log"), "0123456789\n".repeat(100)); // 1,100 characters
        TextDataset capped = DatasetLoader.load(List.of(file), 0.1, cap(255));
        assertEquals(253, capped.trainChars() + capped.heldoutChars(), "23 whole lines of 11 characters");
        assertTrue(capped.truncated());
        assertEquals("0123456789\n".repeat(2), capped.heldout().get(0).text());

        TextDataset whole = DatasetLoader.load(List.of(file), 0.1, cap(10_000));
        assertEquals(1_100, whole.trainChars() + whole.heldoutChars());
        assertFalse(whole.truncated());
    }

    @Test
    void inputsAfterTheCapAreCheckedButNotRead() throws IOException {
        Path first = write(temp.resolve("a.log"), "line one\nline two\n");
        Path second = write(temp.resolve("b.log"), "never read\n");
        TextDataset data = DatasetLoader.load(List.of(first, second), 0.0, cap(9));
        assertEquals(List.of(new Document(first, "line one\n")), data.train());
        Path missing = temp.resolve("missing.log");
        assertEquals(missing + ": does not exist",
                assertThrows(BadInputException.class, () -> DatasetLoader.load(List.of(first, missing), 0.1, cap(9))).getMessage());
    }

    @Test
    void aPreSplitFolderKeepsATenthOfTheCapForItsHeldOutPart() throws IOException {
        write(temp.resolve("logs/train/a.log"), "train line\n".repeat(1_000));
        write(temp.resolve("logs/heldout/a.log"), "held line\n".repeat(1_000));
        TextDataset data = DatasetLoader.load(List.of(temp.resolve("logs")), 0.1, cap(1_000));
        assertEquals(100, data.heldoutChars(), "10 lines of 10: the tenth of the cap kept for held-out text");
        assertEquals(891, data.trainChars(), "81 lines of 11 in the remaining 900");
        assertTrue(data.truncated());
    }
}
