package org.slmworkbench.cli;

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

class FinetuneCliTest {
    @TempDir Path tmp;

    @Test
    void recoveryFineTuningWritesALoadableCompactModel() throws IOException {
        Path model = tmp.resolve("m");
        TinyModels.write(model, 2);
        Path data = Files.writeString(tmp.resolve("logs.log"), TinyModels.logText(400));
        Path out = tmp.resolve("recovered");
        CliRun tune = CliRun.of("finetune", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--steps", "3", "--batch", "4", "--context", "32", "--compression", "prune=0.5,share=16");
        assertEquals(0, tune.exit(), tune.err());
        assertTrue(tune.out().contains("keeping prune=0.5:magnitude,share=16 while training"), tune.out());
        assertTrue(Files.size(out.resolve(CompactWeights.FILE)) < Files.size(model.resolve(ModelDirectory.WEIGHTS)) / 2);
        assertFalse(Files.exists(out.resolve(ModelDirectory.WEIGHTS)));

        CliRun generate = CliRun.of("generate", "--model", out.toString(), "--prompt-ids", "3,4,5", "--max-new-tokens", "4", "--print-ids");
        assertEquals(0, generate.exit(), generate.err());
    }

    @Test
    void loraTrainsAdaptersOnThePrunedBaseAndWritesTheMergedModelWithItsZerosAndThePeftAdapter() throws IOException {
        Path model = tmp.resolve("l");
        TinyModels.write(model, 4);
        Path data = Files.writeString(tmp.resolve("l.log"), TinyModels.logText(400));
        Path out = tmp.resolve("lora");
        CliRun tune = CliRun.of("finetune", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--steps", "3", "--batch", "4", "--context", "32", "--lr", "1e-2", "--compression", "prune=0.5", "--lora", "4");
        assertEquals(0, tune.exit(), tune.err());
        assertTrue(tune.out().contains("LoRA r=4, alpha=8, all linear layers on 14 matrices"), tune.out());
        assertTrue(Files.isRegularFile(out.resolve("adapter").resolve(org.slmworkbench.lora.PeftAdapter.WEIGHTS)));
        String config = Files.readString(out.resolve("adapter").resolve(org.slmworkbench.lora.PeftAdapter.CONFIG));
        assertTrue(config.contains("\"peft_type\": \"LORA\"") && config.contains("prune=0.5:magnitude"), config);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
                org.slmworkbench.checkpoint.LoadedModel base = ModelDirectory.load(model, m);
                org.slmworkbench.checkpoint.LoadedModel back = ModelDirectory.load(out, m)) {
            String name = "model.layers.1.mlp.down_proj.weight";
            float[] before = base.model().weights().get(name).floats();
            float[] merged = back.model().weights().get(name).floats();
            int zeros = 0;
            int changed = 0;
            for (int i = 0; i < merged.length; i++) {
                zeros += merged[i] == 0 ? 1 : 0;
                changed += merged[i] != 0 && merged[i] != before[i] ? 1 : 0;
            }
            assertEquals(merged.length / 2, zeros, "the pruned half stays exactly zero through the merge");
            assertTrue(changed > merged.length / 4, "the kept half takes the trained update: " + changed);
        }
        // the adapter alone over its base, compressed the same way, is the merged model
        String adapter = out.resolve("adapter").toString();
        CliRun merged = CliRun.of("eval", "--model", out.toString(), "--data", data.toString(), "--decode-tokens", "2");
        CliRun over = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--decode-tokens", "2",
                "--compression", "prune=0.5", "--adapter", adapter);
        assertEquals(0, over.exit(), over.err());
        assertEquals(heldoutLine(merged.out()), heldoutLine(over.out()));
        CliRun plain = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--decode-tokens", "2", "--compression", "prune=0.5");
        assertFalse(heldoutLine(plain.out()).equals(heldoutLine(over.out())), "the adapter changes the model");
        CliRun mismatched = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "3,4", "--adapter", adapter);
        assertEquals(2, mismatched.exit());
        assertTrue(mismatched.err().contains("adapter_config.json: was trained on the base compressed as prune=0.5:magnitude")
                && mismatched.err().contains("--compression prune=0.5:magnitude") && !mismatched.err().contains("\tat "), mismatched.err());
        CliRun refused = CliRun.of("finetune", "--model", model.toString(), "--data", data.toString(), "--out", tmp.resolve("x").toString(),
                "--lora", "4", "--compression", "share=16");
        assertEquals(2, refused.exit());
        assertTrue(refused.err().contains("LoRA with weight sharing is not supported"), refused.err());
    }

    @Test
    void loraDropoutIsWrittenToTheAdapterAndABadValueIsOneMessage() throws IOException {
        Path model = tmp.resolve("d");
        TinyModels.write(model, 2);
        Path data = Files.writeString(tmp.resolve("d.log"), TinyModels.logText(400));
        Path out = tmp.resolve("dropped");
        CliRun tune = CliRun.of("finetune", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--steps", "2", "--batch", "4", "--context", "32", "--lora", "4", "--lora-dropout", "0.25");
        assertEquals(0, tune.exit(), tune.err());
        assertTrue(tune.out().contains("LoRA r=4, alpha=8, dropout=0.25, all linear layers"), tune.out());
        assertTrue(Files.readString(out.resolve("adapter").resolve(org.slmworkbench.lora.PeftAdapter.CONFIG)).contains("\"lora_dropout\": 0.25"));
        for (String bad : new String[] {"1", "-0.5"}) {
            CliRun refused = CliRun.of("finetune", "--model", model.toString(), "--data", data.toString(), "--out", tmp.resolve("x").toString(),
                    "--lora", "4", "--lora-dropout", bad);
            assertEquals(2, refused.exit(), refused.err());
            assertTrue(refused.err().contains("LoRA dropout must be at least 0 and below 1") && !refused.err().contains("\tat "), refused.err());
        }
        CliRun alone = CliRun.of("finetune", "--model", model.toString(), "--data", data.toString(), "--out", tmp.resolve("x").toString(),
                "--lora-dropout", "0.1");
        assertEquals(2, alone.exit());
        assertTrue(alone.err().contains("need --lora R"), alone.err());
    }

    private static String heldoutLine(String out) {
        return out.lines().filter(l -> l.startsWith("held-out loss")).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    @Test
    void aQuantizedSettingTrainsInF32AndIsQuantizedOnceAtTheEnd() throws IOException {
        Path model = tmp.resolve("q");
        TinyModels.write(model, 3);
        Path data = Files.writeString(tmp.resolve("q.log"), TinyModels.logText(400));
        Path out = tmp.resolve("quantized");
        CliRun tune = CliRun.of("finetune", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--steps", "3", "--batch", "4", "--context", "32", "--checkpoint-every", "2", "--compression", "prune=0.5,quant=int4:awq");
        assertEquals(0, tune.exit(), tune.err());
        assertTrue(tune.out().contains("re-quantized to int4:awq after training"), tune.out());
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
                org.slmworkbench.checkpoint.LoadedModel back = ModelDirectory.load(out, m)) {
            assertEquals(org.slmworkbench.model.Precision.Q4_0, back.model().weights().get("model.layers.0.mlp.up_proj.weight").precision());
        }
    }

    @Test
    void helpShowsTheCompressionFlagsAndCalibrationIsRefused() throws IOException {
        CliRun help = CliRun.of("finetune", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--compression=SPEC") && help.out().contains("--clusters=K") && help.out().contains("pruned weights stay zero"),
                help.out());

        Path model = tmp.resolve("m");
        TinyModels.write(model, 2);
        CliRun calibrated = CliRun.of("finetune", "--model", model.toString(), "--data", model.toString(), "--out", tmp.resolve("o").toString(),
                "--prune", "0.5", "--prune-method", "wanda", "--calibration", model.toString());
        assertEquals(2, calibrated.exit());
        assertTrue(calibrated.err().contains("on its --data"), calibrated.err());
    }
}
