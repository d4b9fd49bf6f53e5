package org.slmworkbench.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The labelled layouts are read as their READMEs describe, cut by time, with no label text on the log side. */
class RealLogSetsTest {
    static final Path REAL = Path.of("../shared/data/real-logs");

    @Test
    void apacheLogsAreReadOldestRotationFirstAndSplitAtAFile() {
        LabelledLog log = RealLogSets.load(REAL.resolve("ait-apache"), 0);
        LogSplit s = log.split();
        assertTrue(s.adapt().get(0).source().endsWith("access4.log"), s.how());
        assertEquals(1120 + 933, s.adapt().size(), "access4 and access3 are the older half");
        assertEquals(8530 + 601, s.test().size());
        assertTrue(s.test().get(0).source().endsWith("access2.log"));
        int positives = count(log.truth().anomalous());
        assertEquals(7696, positives, "every attack line is in access2, which is scored");
        assertTrue(log.truth().groupAnomalous().size() >= 2, "several attack bursts");
        assertNoLabelText(s, REAL.resolve("ait-apache/labels.tsv"));
    }

    @Test
    void novaLinesCarryTheirInstancesLabel() {
        LabelledLog log = RealLogSets.load(REAL.resolve("openstack-nova"), 0);
        assertEquals(25_659, log.split().adapt().size() + log.split().test().size());
        LogTruth t = log.truth();
        for (int i = 0; i < t.anomalous().length; i++) {
            String g = t.group().get(i);
            assertEquals(g != null && t.groupAnomalous().get(g), t.anomalous()[i], log.split().test().get(i).text());
            if (g != null) {
                assertTrue(log.split().test().get(i).text().contains("[instance: " + g + "]"));
            }
        }
        assertTrue(t.sessionLabelled());
        assertNoLabelText(log.split(), REAL.resolve("openstack-nova/instance_labels.csv"));
    }

    @Test
    void hadoopJobsAreSplitInIdOrderAndTheArchivesLabelCopyIsSkipped() {
        LabelledLog log = RealLogSets.load(REAL.resolve("hadoop"), 20);
        Set<String> adaptJobs = jobs(log.split().adapt());
        Set<String> testJobs = jobs(log.split().test());
        assertEquals(27, adaptJobs.size());
        assertEquals(28, testJobs.size());
        assertTrue(adaptJobs.contains("application_1445062781478_0011") && testJobs.contains("application_1445182159119_0020"));
        long normal = log.truth().groupAnomalous().values().stream().filter(a -> !a).count();
        assertEquals(4, normal, "normal jobs among the later 28");
        // the archive holds its own abnormal_label.txt: none of its rows may become log lines
        for (LogLine l : concat(log.split())) {
            assertTrue(l.source().endsWith(".log"), l.source());
            assertFalse(l.text().startsWith("+ application_") || l.text().startsWith("###"), l.text());
        }
    }

    private static Set<String> jobs(List<LogLine> lines) {
        Set<String> jobs = new HashSet<>();
        lines.forEach(l -> jobs.add(l.source().substring(0, l.source().indexOf('/'))));
        return jobs;
    }

    /** No row of the label file appears as, or inside, a log line of either part. */
    static void assertNoLabelText(LogSplit split, Path labels) {
        try (Stream<String> rows = Files.lines(labels)) {
            Set<String> labelRows = new HashSet<>(rows.skip(1).map(String::strip).toList());
            for (LogLine l : concat(split)) {
                assertFalse(labelRows.contains(l.text().strip()), "label row as a log line: " + l.text());
                assertFalse(l.text().contains("\tAnomaly") || l.text().endsWith(",Anomaly") || l.text().contains("attacker_http"),
                        l.text());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<LogLine> concat(LogSplit s) {
        return Stream.concat(s.adapt().stream(), s.test().stream()).toList();
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            n += v ? 1 : 0;
        }
        return n;
    }
}
