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

/** Every user error: one line naming the file and the problem, exit code 2, no stack trace, no output left behind. */
class BadInputCliTest {
    @TempDir Path tmp;

    private static void assertUserError(CliRun r, String... expected) {
        assertEquals(WorkbenchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "stderr should mention '" + e + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(r.err().contains("Exception"), "no exception class names: " + r.err());
    }

    @Test
    void trainOnAMissingPathOrEmptyOrBinaryData() throws IOException {
        Path out = tmp.resolve("out");
        assertUserError(CliRun.of("train", "--data", tmp.resolve("missing.log").toString(), "--out", out.toString(), "--steps", "1"),
                "missing.log", "does not exist");
        Path empty = Files.writeString(tmp.resolve("empty.log"), "  \n");
        assertUserError(CliRun.of("train", "--data", empty.toString(), "--out", out.toString(), "--steps", "1"), "empty.log", "empty");
        Path binary = Files.write(tmp.resolve("blob.log"), new byte[] {1, 0, 2, 0, 3, 0, 'a'});
        assertUserError(CliRun.of("train", "--data", binary.toString(), "--out", out.toString(), "--steps", "1"), "blob.log", "binary");
        assertFalse(Files.exists(out), "nothing written for bad data");
    }

    @Test
    void datasetFilesThatCannotBeReadAsAsked() throws IOException {
        Path model = tmp.resolve("m");
        TinyModels.write(model, 1);
        Path table = Files.writeString(tmp.resolve("logs.csv"), "id,line\n1,a\n2,b\n");
        assertUserError(CliRun.of("eval", "--model", model.toString(), "--data", table.toString(), "--column", "nope"),
                "logs.csv", "has no column 'nope'", "id, line");
        Path one = Files.writeString(tmp.resolve("one.jsonl"), "{\"text\": \"a single row\"}\n");
        assertUserError(CliRun.of("train", "--data", one.toString(), "--out", tmp.resolve("o").toString()), "one.jsonl", "only one row");
        Path broken = Files.writeString(tmp.resolve("broken.jsonl"), "{\"text\": \"a\"}\n{\"text\": }\n");
        assertUserError(CliRun.of("eval", "--model", model.toString(), "--data", broken.toString()), "broken.jsonl", "line 2", "not valid JSON");
        assertUserError(CliRun.of("eval", "--model", model.toString(), "--data", table.toString(), "--max-chars", "0"), "at least 1");
        assertFalse(Files.exists(tmp.resolve("o")), "nothing written for bad data");
    }

    @Test
    void generateFromBrokenModelFolders() throws IOException {
        assertUserError(CliRun.of("generate", "--model", tmp.resolve("none").toString(), "--prompt", "x"), "none", "model folder not found");
        Path dir = tmp.resolve("m");
        TinyModels.write(dir, 1);
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, 100));
        assertUserError(CliRun.of("generate", "--model", dir.toString(), "--prompt", "x"), "model.safetensors");
        // an absurd header length
        byte[] header = new byte[16];
        java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1L << 60);
        Files.write(weights, header);
        assertUserError(CliRun.of("generate", "--model", dir.toString(), "--prompt", "x"), "model.safetensors", "header");
    }

    @Test
    void badFlagsAndOutOfVocabularyIds() throws IOException {
        Path dir = tmp.resolve("m");
        TinyModels.write(dir, 1);
        assertUserError(CliRun.of("generate", "--model", dir.toString(), "--prompt-ids", "1,2,999999"), "999999", "outside the vocabulary");
        assertUserError(CliRun.of("generate", "--model", dir.toString(), "--prompt", "x", "--top-p", "0"), "top-p");
        assertUserError(CliRun.of("train", "--data", dir.toString(), "--out", tmp.resolve("o").toString(), "--hidden", "30", "--heads", "4"),
                "hidden (30)");
        CliRun parse = CliRun.of("generate", "--model");
        assertEquals(2, parse.exit());
        assertTrue(parse.err().contains("Missing required parameter"), parse.err());
    }

    @Test
    void scoreRefusesAMissingInputAndWritesNothing() throws IOException {
        Path dir = tmp.resolve("m");
        TinyModels.write(dir, 1);
        Path out = tmp.resolve("scores.tsv");
        assertUserError(CliRun.of("score", "--model", dir.toString(), "--input", tmp.resolve("nope.log").toString(), "--out", out.toString()),
                "nope.log");
        assertFalse(Files.exists(out));
    }
}
