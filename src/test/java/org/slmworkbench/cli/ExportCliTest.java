package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.compress.CompactWeights;

class ExportCliTest {
    @TempDir Path tmp;

    @Test
    void exportsReloadAndGenerateWhatTheCompressedModelGenerates() throws IOException {
        Path model = tmp.resolve("m");
        TinyModels.write(model, 2);
        Path compact = tmp.resolve("compact");
        CliRun export = CliRun.of("export", "--model", model.toString(), "--out", compact.toString(), "--format", "compact",
                "--compression", "prune=0.5:magnitude,share=16");
        assertEquals(0, export.exit(), export.err());
        assertTrue(Files.size(compact.resolve(CompactWeights.FILE)) < Files.size(model.resolve(ModelDirectory.WEIGHTS)) / 2);
        assertTrue(Files.readString(compact.resolve("README.md")).contains("prune=0.5:magnitude,share=16"));

        CliRun direct = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "3,4,5", "--max-new-tokens", "8", "--print-ids",
                "--compression", "prune=0.5:magnitude,share=16");
        CliRun reloaded = CliRun.of("generate", "--model", compact.toString(), "--prompt-ids", "3,4,5", "--max-new-tokens", "8", "--print-ids");
        assertEquals(0, reloaded.exit(), reloaded.err());
        assertEquals(lastLine(direct.out()), lastLine(reloaded.out()));

        Path hf = tmp.resolve("hf");
        CliRun structured = CliRun.of("export", "--model", model.toString(), "--out", hf.toString(), "--prune", "0.5", "--prune-method",
                "structured", "--exit-layer", "1");
        assertEquals(0, structured.exit(), structured.err());
        String config = Files.readString(hf.resolve("config.json"));
        assertTrue(config.contains("\"num_hidden_layers\": 1") && config.contains("\"num_key_value_heads\": 1")
                && config.contains("\"intermediate_size\": 32"), config);
    }

    @Test
    void badCompressionSettingsAreUserErrors() throws IOException {
        Path model = tmp.resolve("m");
        TinyModels.write(model, 2);
        CliRun exit = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "1", "--exit-layer", "9");
        assertEquals(2, exit.exit());
        assertTrue(exit.err().contains("beyond the model's 2 layers"), exit.err());
        CliRun clusters = CliRun.of("export", "--model", model.toString(), "--out", tmp.resolve("x").toString(), "--clusters", "300");
        assertEquals(2, clusters.exit());
        assertTrue(clusters.err().contains("2..256"), clusters.err());
        assertFalse(Files.exists(tmp.resolve("x")), "nothing written");
        byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));
        CliRun over = CliRun.of("export", "--model", model.toString(), "--out", model.toString(), "--clusters", "16");
        assertEquals(2, over.exit());
        assertTrue(over.err().contains("never overwrites its source"), over.err());
        assertArrayEquals(weights, Files.readAllBytes(model.resolve("model.safetensors")), "the source is untouched");
    }

    private static String lastLine(String out) {
        return out.lines().reduce((a, b) -> b).orElse("");
    }
}
