package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.GptFolders;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.io.TensorDType;

/** generate, score and eval on GPT-2 and GPTBigCode folders through the command line. */
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
    void scoreAndEvalRunOnGptBigCodeAndCompressionIsRefusedClearly() throws IOException {
        Path model = tmp.resolve("starcoder");
        GptFolders.write(model, GptFolders.bigCode(true), TensorDType.BF16, 8);
        Path log = Files.writeString(tmp.resolve("app.log"), TinyModels.logText(12));
        Path tsv = tmp.resolve("scores.tsv");
        CliRun score = CliRun.of("score", "--model", model.toString(), "--input", log.toString(), "--out", tsv.toString(), "--threads", "1");
        assertEquals(0, score.exit(), score.err());
        assertEquals(13, Files.readAllLines(tsv).size());
        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--data", log.toString(), "--decode-tokens", "4", "--threads", "1");
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains("perplexity"), eval.out());

        CliRun pruned = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "3", "--prune", "0.5");
        assertEquals(2, pruned.exit());
        assertEquals(List.of("error: compression of GPTBigCodeForCausalLM is not supported yet"), pruned.err().lines().toList());
        CliRun export = CliRun.of("export", "--model", model.toString(), "--format", "hf", "--out", tmp.resolve("out").toString());
        assertEquals(2, export.exit());
        assertTrue(export.err().contains("GPTBigCodeForCausalLM models run in generate, eval and score"), export.err());
    }

    private static String lastLine(String out) {
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }
}
