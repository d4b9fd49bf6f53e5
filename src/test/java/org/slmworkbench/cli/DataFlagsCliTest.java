package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.data.DataFiles;
import picocli.CommandLine;

/** The dataset flags, shared by every command that takes --data, reach the loader. */
class DataFlagsCliTest {
    @TempDir Path tmp;

    private static List<String> logLines(int n) {
        return TinyModels.logText(n).lines().toList();
    }

    @Test
    void everyCommandThatReadsDataTakesTheSameFlags() {
        CommandLine cli = WorkbenchCli.newCommandLine();
        for (String command : List.of("train", "finetune", "eval", "bench")) {
            CommandLine.Model.CommandSpec spec = cli.getSubcommands().get(command).getCommandSpec();
            for (String flag : List.of("--data", "--text-field", "--column", "--extensions", "--max-chars")) {
                assertNotNull(spec.findOption(flag), command + " takes " + flag);
            }
        }
    }

    @Test
    void trainReadsTheChosenFieldUpToTheCap() throws IOException {
        Path rows = DataFiles.write(tmp.resolve("rows.jsonl"), DataFiles.jsonLines("message", logLines(300)));
        CliRun train = CliRun.of("train", "--data", rows.toString(), "--text-field", "message", "--max-chars", "6000",
                "--out", tmp.resolve("model").toString(), "--layers", "1", "--hidden", "32", "--heads", "2", "--context", "32",
                "--vocab", "300", "--steps", "2", "--batch", "2", "--threads", "1");
        assertEquals(0, train.exit(), train.err());
        Matcher data = Pattern.compile("data: ([\\d,]+) training and ([\\d,]+) held-out characters from 1 path\\(s\\); "
                + "reading stopped at the cap of 6,000 characters").matcher(train.out());
        assertTrue(data.find(), train.out());
        assertEquals(6_000, Integer.parseInt(data.group(1).replace(",", "")) + Integer.parseInt(data.group(2).replace(",", "")));
    }

    @Test
    void evalReadsASourceTreeByExtension() throws IOException {
        Path model = tmp.resolve("m");
        TinyModels.write(model, 1);
        List<String> lines = logLines(40);
        for (int i = 0; i < lines.size(); i++) {
            DataFiles.write(tmp.resolve("tree/pkg/m" + i + ".py"), "LOG = \"" + lines.get(i) + "\"\n");
        }
        DataFiles.write(tmp.resolve("tree/notes.md"), "not read\n");
        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--data", tmp.resolve("tree").toString(), "--extensions", "py,txt",
                "--decode-tokens", "4", "--threads", "1");
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains("held-out loss"), eval.out());
    }

    @Test
    void evalReadsACsvColumn() throws IOException {
        Path model = tmp.resolve("m");
        TinyModels.write(model, 1);
        String csv = "id,line\n" + logLines(100).stream().map(l -> "7,\"" + l + "\"").collect(Collectors.joining("\n"));
        Path table = DataFiles.write(tmp.resolve("logs.csv"), csv);
        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--data", table.toString(), "--column", "line",
                "--max-chars", "5000", "--decode-tokens", "4", "--threads", "1");
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains("held-out loss"), eval.out());
        assertTrue(eval.err().contains("data: reading stopped at the --max-chars cap of 5,000 characters"), eval.err());
    }
}
