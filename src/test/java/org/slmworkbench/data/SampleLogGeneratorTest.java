package org.slmworkbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

/** Layout, size, split, determinism and safe replacement of the generated sample logs. */
class SampleLogGeneratorTest {
    @TempDir
    Path temp;

    @Test
    void sameSeedGivesIdenticalBytesAndAnotherSeedDiffers() throws IOException {
        Map<String, byte[]> reference = GeneratedSampleLogs.contents(GeneratedSampleLogs.folder());
        SampleLogGenerator.generate(temp.resolve("again"), GeneratedSampleLogs.SEED);
        Map<String, byte[]> again = GeneratedSampleLogs.contents(temp.resolve("again"));
        assertEquals(reference.keySet(), again.keySet());
        for (String file : reference.keySet()) {
            assertArrayEquals(reference.get(file), again.get(file), file);
        }

        SampleLogGenerator.generate(temp.resolve("other"), 7);
        Map<String, byte[]> other = GeneratedSampleLogs.contents(temp.resolve("other"));
        for (String split : GeneratedSampleLogs.SPLITS) {
            for (String log : GeneratedSampleLogs.LOG_FILES) {
                String file = split + "/" + log;
                assertFalse(Arrays.equals(reference.get(file), other.get(file)), file + " is the same for seed 7");
            }
        }
    }

    @Test
    void writesFiveFormatsPerSplitWithLabelsAndReadme() {
        Path root = GeneratedSampleLogs.folder();
        for (String split : GeneratedSampleLogs.SPLITS) {
            for (String log : GeneratedSampleLogs.LOG_FILES) {
                assertTrue(Files.isRegularFile(root.resolve(split).resolve(log)), split + "/" + log);
            }
            assertTrue(Files.isRegularFile(root.resolve(split).resolve("labels.tsv")), split + "/labels.tsv");
        }
        assertTrue(Files.isRegularFile(root.resolve("README.md")));
    }

    @Test
    void summaryMatchesTheFilesOnDisk() throws IOException {
        SampleLogGenerator.Summary summary = GeneratedSampleLogs.summary();
        assertEquals(GeneratedSampleLogs.SEED, summary.seed());
        for (String split : GeneratedSampleLogs.SPLITS) {
            long bytes = 0;
            long lines = 0;
            for (String log : GeneratedSampleLogs.LOG_FILES) {
                bytes += Files.size(GeneratedSampleLogs.folder().resolve(split).resolve(log));
                lines += GeneratedSampleLogs.lines(split, log).size();
            }
            SampleLogGenerator.SplitSummary counts = split.equals("train") ? summary.train() : summary.heldout();
            assertEquals(5, counts.files(), split);
            assertEquals(bytes, counts.bytes(), split);
            assertEquals(lines, counts.lines(), split);
            assertEquals(GeneratedSampleLogs.labels(split).size(), counts.anomalousLines(), split);
        }
    }

    @Test
    void sizeIsBetweenTwoAndThreeMegabytesWithAboutTenPercentHeldOut() throws IOException {
        long all;
        try (Stream<Path> files = Files.walk(GeneratedSampleLogs.folder())) {
            all = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        SampleLogGenerator.Summary summary = GeneratedSampleLogs.summary();
        assertTrue(summary.totalBytes() >= 2_000_000, "log bytes " + summary.totalBytes());
        assertTrue(all <= 3_000_000, "folder bytes " + all);
        double heldoutShare = (double) summary.heldout().bytes() / summary.totalBytes();
        assertTrue(heldoutShare >= 0.05 && heldoutShare <= 0.15, "heldout share " + heldoutShare);
        assertTrue(summary.heldout().bytes() >= 200_000, "heldout bytes " + summary.heldout().bytes());
    }

    @Test
    void readmeNamesSeedCommandFormatsAndLabelFormat() throws IOException {
        String readme = Files.readString(GeneratedSampleLogs.folder().resolve("README.md"));
        assertTrue(readme.contains("`java -jar target/slm-workbench.jar sample-logs --out sample-logs --seed 42`"));
        assertTrue(readme.contains("seed 42"));
        for (String log : GeneratedSampleLogs.LOG_FILES) {
            assertTrue(readme.contains("`" + log + "`"), log);
        }
        assertTrue(readme.contains("file<TAB>line<TAB>kind"));
        assertTrue(readme.contains("| train | 5 | " + GeneratedSampleLogs.summary().train().bytes() + " |"));
    }

    @Test
    void replacesAPreviousGenerationCompletely() throws IOException {
        Path out = temp.resolve("sample-logs");
        Files.createDirectories(out.resolve("train"));
        Files.writeString(out.resolve("train").resolve("stale.log"), "from an older generator\n");
        Files.writeString(out.resolve("README.md"), "old readme\n");

        SampleLogGenerator.generate(out, GeneratedSampleLogs.SEED);

        Map<String, byte[]> reference = GeneratedSampleLogs.contents(GeneratedSampleLogs.folder());
        Map<String, byte[]> replaced = GeneratedSampleLogs.contents(out);
        assertEquals(reference.keySet(), replaced.keySet());
        assertArrayEquals(reference.get("README.md"), replaced.get("README.md"));
        try (Stream<Path> siblings = Files.list(temp)) {
            assertEquals(List.of("sample-logs"), siblings.map(p -> p.getFileName().toString()).toList(),
                    "no temporary folders left behind");
        }
    }

    @Test
    void refusesToWipeAFolderWithFilesItDidNotWrite() throws IOException {
        Path home = temp.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("notes.txt"), "precious\n");

        BadInputException e = assertThrows(BadInputException.class,
                () -> SampleLogGenerator.generate(home, GeneratedSampleLogs.SEED));

        assertTrue(e.getMessage().contains("home") && e.getMessage().contains("notes.txt"), e.getMessage());
        assertEquals("precious\n", Files.readString(home.resolve("notes.txt"), StandardCharsets.UTF_8));
        try (Stream<Path> siblings = Files.list(temp)) {
            assertEquals(List.of("home"), siblings.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void refusesAPlainFileAsOutputFolder() throws IOException {
        Path file = Files.writeString(temp.resolve("out.log"), "x\n");
        BadInputException e = assertThrows(BadInputException.class, () -> SampleLogGenerator.generate(file, 1));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertEquals("x\n", Files.readString(file));
    }

    /** The committed sample-logs folder must be exactly what seed 42 generates today. */
    @Test
    void committedSampleLogsAreSeed42Output() throws IOException {
        Path committed = Path.of("sample-logs");
        assertTrue(Files.isDirectory(committed), "sample-logs/ missing in " + Path.of("").toAbsolutePath());
        Map<String, byte[]> reference = GeneratedSampleLogs.contents(GeneratedSampleLogs.folder());
        Map<String, byte[]> onDisk = GeneratedSampleLogs.contents(committed);
        assertEquals(reference.keySet(), onDisk.keySet());
        for (String file : reference.keySet()) {
            // A checkout may have turned \n into \r\n; the content must otherwise match.
            String expected = new String(reference.get(file), StandardCharsets.UTF_8);
            String actual = new String(onDisk.get(file), StandardCharsets.UTF_8).replace("\r\n", "\n");
            assertTrue(expected.equals(actual), file + " differs: regenerate with seed 42");
        }
        assertNotEquals(0, reference.size());
    }
}
