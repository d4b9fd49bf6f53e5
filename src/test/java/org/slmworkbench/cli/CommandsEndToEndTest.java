package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.TinyModels;

/** train → generate → eval → score through the command line, on a tiny model and tiny logs. */
class CommandsEndToEndTest {
    @TempDir Path tmp;

    @Test
    void trainGenerateEvalAndScore() throws IOException {
        Path data = Files.writeString(tmp.resolve("app.log"), TinyModels.logText(600));
        Path model = tmp.resolve("model");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--out", model.toString(), "--layers", "1", "--hidden", "32",
                "--heads", "2", "--context", "32", "--vocab", "300", "--steps", "30", "--batch", "4", "--threads", "1");
        assertEquals(0, train.exit(), train.err());
        assertTrue(train.out().contains("done: 30 steps"), train.out());
        String card = Files.readString(model.resolve("README.md"));
        assertTrue(card.contains("train --data") && card.contains("| Steps | 30 |"), card);

        CliRun gen = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "3,4,5", "--max-new-tokens", "6", "--greedy",
                "--print-ids");
        assertEquals(0, gen.exit(), gen.err());
        List<String> lines = gen.out().lines().toList();
        String[] ids = lines.get(lines.size() - 1).split(" ");
        assertEquals(9, ids.length, gen.out());
        assertEquals(List.of("3", "4", "5"), Arrays.asList(ids).subList(0, 3));
        CliRun again = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "3,4,5", "--max-new-tokens", "6", "--print-ids");
        assertEquals(lines.get(lines.size() - 1), again.out().lines().reduce((a, b) -> b).orElseThrow(), "greedy is repeatable");

        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--decode-tokens", "8");
        assertEquals(0, eval.exit(), eval.err());
        double loss = Double.parseDouble(field(eval.out(), "held-out loss"));
        double ppl = Double.parseDouble(field(eval.out(), "perplexity"));
        assertEquals(Math.exp(loss), ppl, 0.01 * ppl);
        assertTrue(loss < Math.log(300), "better than uniform over the vocabulary: " + loss);

        Path labels = Files.writeString(tmp.resolve("labels.tsv"), "file\tline\tkind\napp.log\t7\trare-template\n");
        Path odd = tmp.resolve("app.log");
        List<String> log = Files.readAllLines(odd).subList(0, 20);
        List<String> withAnomaly = new java.util.ArrayList<>(log);
        withAnomaly.set(6, "kernel: BUG: unable to handle page fault at ffffffffc0de0000 ### Oops: 0002 [#1] SMP");
        Files.write(odd, withAnomaly);
        Path tsv = tmp.resolve("scores.tsv");
        CliRun score = CliRun.of("score", "--model", model.toString(), "--input", odd.toString(), "--out", tsv.toString(), "--labels",
                labels.toString());
        assertEquals(0, score.exit(), score.err());
        List<String> rows = Files.readAllLines(tsv);
        assertEquals(21, rows.size());
        assertEquals("file\tline\tmean_nll\tmax_surprise\tanomaly_score\texplanation\ttext", rows.get(0));
        assertTrue(rows.get(7).split("\t")[5].startsWith("expected `"), rows.get(7));
        double[] means = rows.stream().skip(1).mapToDouble(r -> Double.parseDouble(r.split("\t")[2])).toArray();
        int worst = 0;
        for (int i = 1; i < means.length; i++) {
            worst = means[i] > means[worst] ? i : worst;
        }
        assertEquals(6, worst, "the foreign line is the most surprising: " + Arrays.toString(means));
        assertTrue(score.out().contains("app.log"), score.out());
    }

    private static String field(String out, String name) {
        return out.lines().filter(l -> l.startsWith(name)).findFirst().orElseThrow().substring(name.length()).trim().split(" ")[0];
    }
}
