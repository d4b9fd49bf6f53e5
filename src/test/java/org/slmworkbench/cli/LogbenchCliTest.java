package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.TinyModels;

class LogbenchCliTest {
    @TempDir Path tmp;

    @Test
    void reportsOursBesideTheBaselinesAndStatesTheSplit() throws IOException {
        Path model = tmp.resolve("m");
        TinyModels.write(model, 1);
        Path set = tmp.resolve("set");
        Files.createDirectories(set.resolve("train"));
        Files.createDirectories(set.resolve("heldout"));
        Files.writeString(set.resolve("train/app.log"), TinyModels.logText(200));
        String heldout = TinyModels.logText(40).replace("Accepted password for user3", "Failed password for root");
        Files.writeString(set.resolve("heldout/app.log"), heldout);
        StringBuilder labels = new StringBuilder("file\tline\tkind\n");
        String[] lines = heldout.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("Failed")) {
                labels.append("app.log\t").append(i + 1).append("\tburst\n");
            }
        }
        Files.writeString(set.resolve("heldout/labels.tsv"), labels);
        CliRun r = CliRun.of("logbench", "--model", model.toString(), "--data", set.toString(), "--adapt-steps", "2", "--adapt-eval-every", "1",
                "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("adapt on train/ (200 lines), score heldout/ (40 lines)"), r.out());
        for (String row : new String[] {"ours, zero-shot (L+C)", "ours, adapted (R(L)+T+C)", "  without L (T+C)", "  fine-tuned L+T+C", "severity keywords",
                "trigram novelty", "new template"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(row)), row + " in\n" + r.out());
        }
        // the severity rule sees "Failed" on exactly the labelled lines: a perfect ranking
        String severity = r.out().lines().filter(l -> l.startsWith("severity keywords")).findFirst().orElseThrow();
        assertTrue(severity.substring(20).trim().startsWith("1.0000 "), severity);
    }

    @Test
    void aFolderWithoutLabelsIsOneClearError() throws IOException {
        Path model = tmp.resolve("m");
        TinyModels.write(model, 1);
        Path set = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(set.resolve("a.log"), "one\ntwo\n");
        CliRun r = CliRun.of("logbench", "--model", model.toString(), "--data", set.toString());
        assertEquals(WorkbenchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("plain") && r.err().contains("labels.tsv"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
