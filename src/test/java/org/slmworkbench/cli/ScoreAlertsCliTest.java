package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.TinyModels;

class ScoreAlertsCliTest {
    @TempDir Path tmp;

    @Test
    void writesOnlyAlertsAndGroupsABurstIntoOneRow() throws IOException {
        Path model = tmp.resolve("m");
        TinyModels.write(model, 2);
        StringBuilder log = new StringBuilder(TinyModels.logText(200));
        for (int i = 0; i < 30; i++) {
            log.append(String.format(Locale.ROOT, "Mar  9 11:00:%02d host-1 sshd[%d]: Failed password for root from 10.9.9.%d port %d ssh2%n",
                    i, 5000 + i, i, 50000 + i));
        }
        Path input = Files.writeString(tmp.resolve("auth.log"), log);
        Path out = tmp.resolve("alerts.tsv");
        CliRun r = CliRun.of("score", "--model", model.toString(), "--input", input.toString(), "--out", out.toString(), "--alert-rate",
                "100", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        String thresholdText = r.out().replaceAll("(?s).*\\(score > ([0-9.]+)\\).*", "$1");
        double threshold = Double.parseDouble(thresholdText);
        List<String> rows = Files.readAllLines(out);
        assertTrue(rows.size() - 1 >= 30, "the burst alerts: " + r.out());
        for (String row : rows.subList(1, rows.size())) {
            assertTrue(Double.parseDouble(row.split("\t")[4]) > threshold, "only alerts are written: " + row);
        }
        // the thirty failed logins differ only in numbers and addresses: one group
        String burst = r.out().lines().filter(l -> l.contains("Failed password for root")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(burst.trim().startsWith("30 "), burst);
        assertTrue(burst.contains("auth.log:201") && burst.contains("auth.log:230"), "first and last seen: " + burst);
        assertTrue(r.out().contains("calibrated on the first fifth of each input"), r.out());
    }
}
