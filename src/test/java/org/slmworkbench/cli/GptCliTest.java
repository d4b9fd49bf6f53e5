package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.GptFolders;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.compress.CompactWeights;
import org.slmworkbench.io.TensorDType;

/** Every command, compressed or not, on GPT-2 and GPTBigCode folders through the command line. */
class GptCliTest {
    @TempDir Path tmp;

    @Test
    void greedyGenerationFromPromptIdsIsStable() throws IOException {
        Path model = tmp.resolve("gpt2");
        GptFolders.write(model, GptFolders.gpt2(), TensorDType.F32, 8);
        String[] args = {"generate", "--model", model.toString(), "--prompt-ids", "3,4,5", "--max-new-tokens", "8", "--greedy", "--print-ids",
            "--threads", "1"};
        CliRun first = CliRun.of(args);
        assertEquals(0, first.exit(), first.err());
        String ids = lastLine(first.out());
        assertTrue(ids.startsWith("3 4 5 "), first.out());
        assertEquals(ids, lastLine(CliRun.of(args).out()), "greedy decoding is repeatable");
    }

    @Test
    void scoreAndEvalRunOnGptBigCode() throws IOException {
        Path model = tmp.resolve("starcoder");
        GptFolders.write(model, GptFolders.bigCode(true), TensorDType.BF16, 8);
        Path log = Files.writeString(tmp.resolve("app.log"), TinyModels.logText(12));
        Path tsv = tmp.resolve("scores.tsv");
        CliRun score = CliRun.of("score", "--model", model.toString(), "--input", log.toString(), "--out", tsv.toString(), "--threads", "1");
        assertEquals(0, score.exit(), score.err());
        assertEquals(13, Files.readAllLines(tsv).size());
        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--data", log.toString(), "--decode-tokens", "4", "--threads", "1",
                "--prune", "0.5", "--prune-method", "wanda", "--calibration", log.toString());
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains("perplexity"), eval.out());
    }

    @Test
    void compressedGenerationAndExportsOfAGpt2() throws IOException {
        Path model = tmp.resolve("gpt2");
        GptFolders.write(model, GptFolders.gpt2(), TensorDType.F32, 8);
        CliRun pruned = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "3,4,5", "--max-new-tokens", "6", "--greedy",
                "--prune", "0.5", "--prune-method", "structured", "--clusters", "16", "--print-ids", "--threads", "1");
        assertEquals(0, pruned.exit(), pruned.err());
        assertTrue(pruned.err().contains("compressed (prune=0.5:structured,share=16)"), pruned.err());
        CliRun dynamic = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "3,4,5", "--max-new-tokens", "6", "--greedy",
                "--exit-layer", "3", "--exit-threshold", "0.001", "--threads", "1");
        assertEquals(0, dynamic.exit(), dynamic.err());
        // the prefill's token runs all 3 layers; no top-1 probability is below 1/263, so the 5 decoded tokens leave after layer 1
        assertTrue(dynamic.err().contains("mean layers per token 1.33"), dynamic.err());

        Path hf = tmp.resolve("hf");
        CliRun refused = CliRun.of("export", "--model", model.toString(), "--compression", "prune=0.5:structured", "--format", "hf",
                "--out", hf.toString());
        assertEquals(2, refused.exit());
        assertEquals(1, refused.err().lines().filter(l -> l.startsWith("error: ")).count(), refused.err());
        assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused.err());
        assertTrue(refused.err().contains("transformers derives the head size as n_embd / n_head") && refused.err().contains("compact"),
                refused.err());
        assertFalse(Files.exists(hf));

        Path compact = tmp.resolve("compact");
        CliRun exported = CliRun.of("export", "--model", model.toString(), "--compression", "prune=0.5:structured", "--format", "compact",
                "--out", compact.toString());
        assertEquals(0, exported.exit(), exported.err());
        CliRun reloaded = CliRun.of("generate", "--model", compact.toString(), "--prompt-ids", "3,4,5", "--max-new-tokens", "6", "--greedy",
                "--print-ids", "--threads", "1");
        assertEquals(0, reloaded.exit(), reloaded.err());
        CliRun direct = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "3,4,5", "--max-new-tokens", "6", "--greedy",
                "--prune", "0.5", "--prune-method", "structured", "--print-ids", "--threads", "1");
        assertEquals(lastLine(direct.out()), lastLine(reloaded.out()), "the compact folder generates what the compressed copy did");

        CliRun dense = CliRun.of("export", "--model", model.toString(), "--compression", "prune=0.5,exit=2", "--format", "hf",
                "--out", hf.toString());
        assertEquals(0, dense.exit(), dense.err());
        assertTrue(Files.readString(hf.resolve(ModelDirectory.CONFIG)).contains("\"n_layer\": 2"));
    }

    @Test
    void benchAndRecoveryFineTuneRunOnAGptBigCode() throws IOException {
        Path model = tmp.resolve("starcoder");
        GptFolders.write(model, GptFolders.bigCode(false), TensorDType.F32, 8);
        Path data = Files.writeString(tmp.resolve("app.log"), TinyModels.logText(200));
        Path configs = Files.writeString(tmp.resolve("configs.json"), "[{\"name\": \"Base\", \"config\": \"none\"},"
                + " {\"name\": \"Small\", \"config\": \"prune=0.5:structured,share=8\"}, {\"name\": \"Exit\", \"config\": \"exit=1@0.5\"}]");
        Path out = tmp.resolve("bench");
        CliRun bench = CliRun.of("bench", "--model", model.toString(), "--data", data.toString(), "--configs", configs.toString(),
                "--out", out.toString(), "--max-eval-tokens", "200", "--decode-tokens", "4", "--repeats", "1", "--threads", "1");
        assertEquals(0, bench.exit(), bench.err());
        JsonArray results = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonArray();
        assertEquals(3, results.size());
        JsonObject base = results.get(0).getAsJsonObject();
        JsonObject small = results.get(1).getAsJsonObject();
        assertTrue(small.get("weights_bytes").getAsLong() < base.get("weights_bytes").getAsLong());
        assertTrue(small.get("compact_file_bytes").getAsLong() < base.get("compact_file_bytes").getAsLong());

        Path tuned = tmp.resolve("tuned");
        CliRun tune = CliRun.of("finetune", "--model", model.toString(), "--data", data.toString(), "--out", tuned.toString(),
                "--steps", "3", "--batch", "4", "--context", "16", "--compression", "prune=0.5:structured", "--threads", "1");
        assertEquals(0, tune.exit(), tune.err());
        assertTrue(Files.exists(tuned.resolve(CompactWeights.FILE)) && !Files.exists(tuned.resolve(ModelDirectory.WEIGHTS)),
                "pruned heads have no Hugging Face config, so the result is compact");
        CliRun eval = CliRun.of("eval", "--model", tuned.toString(), "--data", data.toString(), "--decode-tokens", "4", "--threads", "1");
        assertEquals(0, eval.exit(), eval.err());
    }

    private static String lastLine(String out) {
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }
}
