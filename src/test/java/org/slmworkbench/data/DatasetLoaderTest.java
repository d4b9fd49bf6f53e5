package org.slmworkbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

class DatasetLoaderTest {
    @TempDir
    Path temp;

    private Path write(String relative, String content) throws IOException {
        Path file = temp.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String numberedLines(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(String.format("line %02d\n", i)); // 8 characters each
        }
        return text.toString();
    }

    private static List<Path> sources(List<Document> documents) {
        return documents.stream().map(Document::source).toList();
    }

    private BadInputException loadFails(Path path) {
        return assertThrows(BadInputException.class, () -> DatasetLoader.load(List.of(path), 0.1));
    }

    @Test
    void trainAndHeldoutFoldersAreTheSplit() throws IOException {
        Path a = write("logs/train/a.log", "train text\n");
        Path b = write("logs/train/sub/b.txt", "more train text\n");
        Path c = write("logs/heldout/a.log", "held out text\n");
        write("logs/train/labels.tsv", "file\tline\tkind\n");
        write("logs/README.md", "# readme\n");

        TextDataset dataset = DatasetLoader.load(List.of(temp.resolve("logs")), 0.3);

        assertEquals(List.of(a, b), sources(dataset.train()));
        assertEquals(List.of(c), sources(dataset.heldout()));
        assertEquals("train text\n", dataset.train().get(0).text());
        assertEquals(11 + 16, dataset.trainChars());
        assertEquals(14, dataset.heldoutChars());
    }

    @Test
    void loadsTheGeneratedSampleLogsAsPreSplit() {
        TextDataset dataset = DatasetLoader.load(List.of(GeneratedSampleLogs.folder()), 0.25);
        assertEquals(5, dataset.train().size());
        assertEquals(5, dataset.heldout().size());
        assertEquals(GeneratedSampleLogs.summary().train().bytes(), dataset.trainChars()); // ASCII: 1 byte = 1 char
        assertEquals(GeneratedSampleLogs.summary().heldout().bytes(), dataset.heldoutChars());
    }

    @Test
    void foldersAreReadRecursivelyInSortedOrderTakingOnlyTextFiles() throws IOException {
        Path text = write("data/a.txt", "a\nb\n");
        Path log = write("data/b.log", "c\nd\n");
        Path bare = write("data/messages", "e\nf\n");
        Path out = write("data/sub/c.OUT", "g\nh\n");
        write("data/table.csv", "x,y\n");
        write("data/.hidden.log", "hidden\n");
        write("data/.git/config.log", "hidden folder\n");
        write("data/labels.tsv", "file\tline\tkind\n");
        write("data/README.md", "readme\n");
        write("data/empty.log", "");

        TextDataset dataset = DatasetLoader.load(List.of(temp.resolve("data")), 0.5);

        assertEquals(List.of(text, log, bare, out), sources(dataset.train()));
        assertEquals(List.of(text, log, bare, out), sources(dataset.heldout()));
        assertEquals("a\n", dataset.train().get(0).text());
        assertEquals("b\n", dataset.heldout().get(0).text());
    }

    @Test
    void eachFileIsCutAtTheLineBoundaryNearestTheFraction() throws IOException {
        String text = numberedLines(10);
        Path file = write("one.log", text);

        TextDataset dataset = DatasetLoader.load(List.of(file), 0.2);

        assertEquals(numberedLines(8), dataset.train().get(0).text());
        assertEquals("line 08\nline 09\n", dataset.heldout().get(0).text());
        assertEquals(64, dataset.trainChars());
        assertEquals(16, dataset.heldoutChars());
    }

    @Test
    void cutMovesToTheNearestLineStartWhenTheFractionFallsInsideALine() throws IOException {
        // 100 chars in lines of 30, 30, 40; 25% held out wants the cut at 75, nearest line start is 60.
        String text = "a".repeat(29) + "\n" + "b".repeat(29) + "\n" + "c".repeat(39) + "\n";
        TextDataset dataset = DatasetLoader.load(List.of(write("uneven.log", text)), 0.25);
        assertEquals("c".repeat(39) + "\n", dataset.heldout().get(0).text());
        assertEquals(text, dataset.train().get(0).text() + dataset.heldout().get(0).text());
    }

    @Test
    void zeroFractionHoldsNothingOut() throws IOException {
        TextDataset none = DatasetLoader.load(List.of(write("a.log", numberedLines(10))), 0.0);
        assertEquals(List.of(), none.heldout());
        assertEquals(80, none.trainChars());

        TextDataset single = DatasetLoader.load(List.of(write("b.log", "just one line without newline")), 0.0);
        assertEquals("just one line without newline", single.train().get(0).text());
    }

    @Test
    void aSingleLineCannotBeSplitAndSaysSo() throws IOException {
        Path single = write("b.log", "just one line without newline\n\n");
        assertEquals(single + ": has only one line of text; need at least two, one to train on and one to hold out",
                loadFails(single).getMessage());
        // the check is on the whole dataset: two single-line files are two lines (each whole in train)
        TextDataset two = DatasetLoader.load(List.of(single, write("c.log", "another line\n")), 0.1);
        assertEquals(2, two.train().size());
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() throws IOException {
        Path file = temp.resolve("latin1.log");
        Files.write(file, new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', 'o', 'k', '\n', (byte) 0xC3, '(', '\n'});

        TextDataset dataset = DatasetLoader.load(List.of(file), 0.0);

        assertEquals("caf\uFFFD ok\n\uFFFD(\n", dataset.train().get(0).text());
        assertEquals(List.of("caf\uFFFD ok", "\uFFFD("), DatasetLoader.previewLines(file, 5));
    }

    @Test
    void missingPathIsNamed() {
        Path missing = temp.resolve("no-such.log");
        assertEquals(missing + ": does not exist", loadFails(missing).getMessage());
    }

    @Test
    void unreadableFileIsNamed() throws IOException {
        Path file = write("secret.log", "text\n");
        assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "running as root: permissions are not enforced");
        assertEquals(file + ": is not readable (check its permissions)", loadFails(file).getMessage());
    }

    @Test
    void emptyAndWhitespaceOnlyFilesAreRejected() throws IOException {
        Path empty = write("empty.log", "");
        assertTrue(loadFails(empty).getMessage().startsWith(empty + ": is empty"));
        Path blank = write("blank.log", " \n\t\n\n");
        assertTrue(loadFails(blank).getMessage().startsWith(blank + ": is empty"));
    }

    @Test
    void foldersWithoutUsableTextAreRejected() throws IOException {
        Path nothing = Files.createDirectories(temp.resolve("nothing"));
        assertTrue(loadFails(nothing).getMessage().startsWith(nothing + ": holds no readable, non-empty text files"));

        write("only-other/data.csv", "a,b\n");
        write("only-other/blank.log", "\n\n");
        Path other = temp.resolve("only-other");
        assertTrue(loadFails(other).getMessage().startsWith(other + ": holds no readable, non-empty text files"));
    }

    @Test
    void binaryFilesAreRejectedWithTheReason() throws IOException {
        byte[] withNul = "0123456789ab\0rest\n".getBytes(StandardCharsets.US_ASCII);
        Path nul = Files.write(temp.resolve("x.bin.log"), withNul);
        assertEquals(nul + ": looks binary (NUL bytes at offset 12); expected a text or log file",
                loadFails(nul).getMessage());

        byte[] controls = new byte[1000];
        for (int i = 0; i < controls.length; i++) {
            controls[i] = (byte) (i % 5 == 0 ? 0x01 : 'a'); // 20% control bytes
        }
        Path noisy = Files.write(temp.resolve("noisy.log"), controls);
        assertEquals(noisy + ": looks binary (20% control bytes in the first 1 KiB); expected a text or log file",
                loadFails(noisy).getMessage());

        Path utf16 = Files.write(temp.resolve("windows.log"), "hi\n".getBytes(StandardCharsets.UTF_16));
        assertEquals(utf16 + ": is UTF-16 encoded; expected UTF-8 text (save it as UTF-8)", loadFails(utf16).getMessage());

        Path inFolder = Files.write(Files.createDirectories(temp.resolve("mixed")).resolve("data.log"), withNul);
        assertTrue(loadFails(temp.resolve("mixed")).getMessage().startsWith(inFolder + ": looks binary"));
    }

    @Test
    void escapeSequencesAndFormFeedsAreText() throws IOException {
        String colored = "\u001b[31mERROR\u001b[0m disk full\n\f\n".repeat(20);
        TextDataset dataset = DatasetLoader.load(List.of(write("color.log", colored)), 0.0);
        assertEquals(colored, dataset.train().get(0).text());
    }

    @Test
    void heldoutFractionMustBeBetweenZeroAndAHalf() throws IOException {
        Path file = write("a.log", numberedLines(4));
        for (double bad : new double[] {-0.1, 0.51, Double.NaN}) {
            BadInputException e = assertThrows(BadInputException.class, () -> DatasetLoader.load(List.of(file), bad));
            assertTrue(e.getMessage().startsWith("heldout fraction must be between 0 and 0.5"), e.getMessage());
        }
        assertThrows(BadInputException.class, () -> DatasetLoader.load(List.of(), 0.1));
    }

    @Test
    void previewReadsOnlyTheFirstLines() throws IOException {
        Path file = write("big.log", "first\r\nsecond\n" + "x".repeat(5_000) + "\n" + numberedLines(10_000));

        List<String> preview = DatasetLoader.previewLines(file, 4);

        assertEquals(4, preview.size());
        assertEquals("first", preview.get(0));
        assertEquals("second", preview.get(1));
        assertEquals("x".repeat(2_000) + "\u2026", preview.get(2));
        assertEquals("line 00", preview.get(3));
        assertEquals(List.of("first"), DatasetLoader.previewLines(file, 1));
        assertEquals(List.of(), DatasetLoader.previewLines(file, 0));
    }

    @Test
    void previewOfAShortFileReturnsAllItsLines() throws IOException {
        assertEquals(List.of("a", "b"), DatasetLoader.previewLines(write("short.log", "\uFEFFa\nb"), 10));
    }

    @Test
    void previewRejectsFoldersMissingAndBinaryFiles() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("folder"));
        assertEquals(folder + ": is a folder; pick a file to preview",
                assertThrows(BadInputException.class, () -> DatasetLoader.previewLines(folder, 3)).getMessage());
        Path missing = temp.resolve("gone.log");
        assertEquals(missing + ": does not exist",
                assertThrows(BadInputException.class, () -> DatasetLoader.previewLines(missing, 3)).getMessage());
        Path binary = Files.write(temp.resolve("core"), new byte[] {0x7f, 'E', 'L', 'F', 0, 0});
        assertTrue(assertThrows(BadInputException.class, () -> DatasetLoader.previewLines(binary, 3)).getMessage()
                .startsWith(binary + ": looks binary (NUL bytes at offset 4)"));
    }
}
