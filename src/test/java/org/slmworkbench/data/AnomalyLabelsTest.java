package org.slmworkbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

class AnomalyLabelsTest {
    @TempDir
    Path temp;

    private Path labels(String content) throws IOException {
        return Files.writeString(temp.resolve("labels.tsv"), content);
    }

    @Test
    void readsRowsPerFile() throws IOException {
        AnomalyLabels labels = AnomalyLabels.load(labels(
                "file\tline\tkind\nsyslog.log\t12\tburst\nsyslog.log\t3\trare-template\n\nkernel.log\t7\timpossible-value\n"));

        assertTrue(labels.isAnomalous("syslog.log", 12));
        assertTrue(labels.isAnomalous("syslog.log", 3));
        assertFalse(labels.isAnomalous("syslog.log", 4));
        assertFalse(labels.isAnomalous("hdfs.log", 12));
        assertEquals(List.of(3, 12), List.copyOf(labels.lines("syslog.log")));
        assertEquals(Set.of(), labels.lines("hdfs.log"));
        assertEquals(Optional.of("impossible-value"), labels.kind("kernel.log", 7));
        assertEquals(Optional.empty(), labels.kind("kernel.log", 8));
        assertEquals(List.of("kernel.log", "syslog.log"), List.copyOf(labels.files()));
        assertEquals(3, labels.size());
    }

    @Test
    void acceptsWindowsLineEndingsAndAHeaderOnlyFile() throws IOException {
        AnomalyLabels labels = AnomalyLabels.load(labels("file\tline\tkind\r\nhdfs.log\t5\tburst\r\n"));
        assertEquals(Optional.of("burst"), labels.kind("hdfs.log", 5));
        assertEquals(0, AnomalyLabels.load(labels("file\tline\tkind\n")).size());
    }

    @Test
    void readsTheGeneratedLabels() {
        AnomalyLabels labels = GeneratedSampleLogs.labels("heldout");
        assertEquals(GeneratedSampleLogs.summary().heldout().anomalousLines(), labels.size());
        assertEquals(Set.copyOf(GeneratedSampleLogs.LOG_FILES), labels.files());
    }

    @Test
    void rejectsAWrongHeader() throws IOException {
        Path file = labels("name\tline\tkind\nsyslog.log\t1\tburst\n");
        BadInputException e = assertThrows(BadInputException.class, () -> AnomalyLabels.load(file));
        assertEquals(file + ": line 1: expected the header 'file<TAB>line<TAB>kind', found 'name<TAB>line<TAB>kind'",
                e.getMessage());
    }

    @Test
    void namesFileAndLineOfABadRow() throws IOException {
        assertRowProblem("file\tline\tkind\nsyslog.log\t1\tburst\nsyslog.log 2 burst\n",
                "line 3: expected 3 tab-separated fields (file, line, kind), found 1");
        assertRowProblem("file\tline\tkind\nsyslog.log\ttwo\tburst\n", "line 2: line number 'two' is not a whole number");
        assertRowProblem("file\tline\tkind\nsyslog.log\t0\tburst\n", "line 2: line number 0 must be 1 or more");
        assertRowProblem("file\tline\tkind\n\t4\tburst\n", "line 2: the file name and the kind must not be empty");
        assertRowProblem("file\tline\tkind\nsyslog.log\t4\tburst\nsyslog.log\t4\tburst\n",
                "line 3: syslog.log line 4 is labelled twice");
    }

    private void assertRowProblem(String content, String problem) throws IOException {
        Path file = labels(content);
        BadInputException e = assertThrows(BadInputException.class, () -> AnomalyLabels.load(file));
        assertEquals(file + ": " + problem, e.getMessage());
    }

    @Test
    void rejectsMissingEmptyAndBinaryFiles() throws IOException {
        Path missing = temp.resolve("nope.tsv");
        assertEquals(missing + ": does not exist",
                assertThrows(BadInputException.class, () -> AnomalyLabels.load(missing)).getMessage());

        Path empty = labels("");
        assertTrue(assertThrows(BadInputException.class, () -> AnomalyLabels.load(empty)).getMessage()
                .startsWith(empty + ": line 1: expected the header"));

        Path binary = Files.write(temp.resolve("labels.bin"), new byte[] {'f', 'i', 0, 1, 2});
        assertTrue(assertThrows(BadInputException.class, () -> AnomalyLabels.load(binary)).getMessage()
                .startsWith(binary + ": looks binary"));
    }
}
