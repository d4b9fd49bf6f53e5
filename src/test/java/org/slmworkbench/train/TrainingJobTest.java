package org.slmworkbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slmworkbench.BadInputException;
import org.slmworkbench.TaskControl;
import org.slmworkbench.TestArrays;
import org.slmworkbench.checkpoint.LoadedModel;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.checkpoint.TrainingState;
import org.slmworkbench.compress.CompactWeights;
import org.slmworkbench.compress.CompressionConfig;

class TrainingJobTest {
    @TempDir Path tmp;

    ModelShape shape = new ModelShape(2, 32, 4, 2, 0, 32, 300, false, true);

    TrainingJob.Request request(Path data, Path out, int steps, int checkpointEvery, boolean resume) {
        TrainConfig cfg = new TrainConfig(steps, 4, 32, 3e-3, 3e-4, 2, 0.1, 1.0, 9, 3, 8, checkpointEvery, 0);
        return new TrainingJob.Request(List.of(data), out, shape, null, null, cfg, resume, "test");
    }

    @Test
    void anInterruptedRunResumesFromItsLastCheckpointExactly() throws IOException {
        Path data = Files.writeString(tmp.resolve("logs.log"), TinyModels.logText(400));
        Path straight = tmp.resolve("straight");
        TrainResult full = TrainingJob.run(request(data, straight, 6, 0, false), p -> { }, s -> { }, TaskControl.none());
        assertEquals(6, full.stepsDone());
        assertFalse(TrainingState.existsIn(straight), "a finished model carries no optimizer state");
        assertTrue(Files.readString(straight.resolve("README.md")).contains("Held-out perplexity"));

        Path interrupted = tmp.resolve("interrupted");
        TrainResult cut = cancelledAt(4, request(data, interrupted, 6, 3, false), s -> { });
        assertTrue(cut.cancelled());
        assertEquals(3, TrainingState.read(interrupted).step(), "the step-3 checkpoint survives the cancel");

        TrainResult resumed = TrainingJob.run(request(data, interrupted, 6, 3, true), p -> { }, s -> { }, TaskControl.none());
        assertEquals(6, resumed.stepsDone());
        TestArrays.assertSameWeights(weights(straight), weights(interrupted));
    }

    @Test
    void resumeWithOtherSettingsOrNoStateIsRefused() throws IOException {
        Path data = Files.writeString(tmp.resolve("logs.log"), TinyModels.logText(400));
        Path out = tmp.resolve("run");
        cancelledAt(3, request(data, out, 6, 2, false), s -> { });
        BadInputException other = assertThrows(BadInputException.class,
                () -> TrainingJob.run(request(data, out, 8, 2, true), p -> { }, s -> { }, TaskControl.none()));
        assertTrue(other.getMessage().contains("same flags"), other.getMessage());
        BadInputException none = assertThrows(BadInputException.class,
                () -> TrainingJob.run(request(data, tmp.resolve("fresh"), 6, 2, true), p -> { }, s -> { }, TaskControl.none()));
        assertTrue(none.getMessage().contains("training_state.safetensors"), none.getMessage());
    }

    @Test
    void fineTuningStartsFromTheBaseWeightsAndKeepsItsTokenizer() throws IOException {
        Path data = Files.writeString(tmp.resolve("logs.log"), TinyModels.logText(400));
        Path base = tmp.resolve("base");
        TinyModels.write(base, 4);
        Path out = tmp.resolve("tuned");
        TrainConfig cfg = new TrainConfig(3, 4, 32, 1e-3, 1e-4, 1, 0.1, 1.0, 9, 3, 8, 0, 0);
        TrainResult r = TrainingJob.run(new TrainingJob.Request(List.of(data), out, null, base, null, cfg, false, "test"), p -> { }, s -> { },
                TaskControl.none());
        assertEquals(3, r.stepsDone());
        assertArrayEquals(Files.readAllBytes(base.resolve("tokenizer.json")), Files.readAllBytes(out.resolve("tokenizer.json")));
        Map<String, float[]> before = weights(base);
        Map<String, float[]> after = weights(out);
        assertEquals(before.keySet(), after.keySet());
        double moved = 0;
        for (String k : before.keySet()) {
            moved = Math.max(moved, TestArrays.maxAbsDiff(before.get(k), after.get(k)));
        }
        assertTrue(moved > 0 && moved < 0.05, "three small steps move the weights a little: " + moved);
        assertTrue(Files.readString(out.resolve("README.md")).contains("Fine-tuned from"));
    }

    TrainingJob.Request recovery(Path data, Path base, Path out, int checkpointEvery, boolean resume) {
        TrainConfig cfg = new TrainConfig(6, 4, 32, 3e-3, 3e-4, 2, 0.1, 1.0, 9, 3, 8, checkpointEvery, 0);
        return new TrainingJob.Request(List.of(data), out, null, base, CompressionConfig.parse("prune=0.5:wanda,share=16"), cfg, resume,
                "test");
    }

    @Test
    void recoveryFineTuningKeepsTheCompressionAndSavesItCompact() throws IOException {
        Path data = Files.writeString(tmp.resolve("logs.log"), TinyModels.logText(400));
        Path base = tmp.resolve("base");
        TinyModels.write(base, 4);
        Path out = tmp.resolve("recovered");
        TrainResult r = TrainingJob.run(recovery(data, base, out, 0, false), p -> { }, s -> { }, TaskControl.none());
        assertEquals(6, r.stepsDone());
        assertTrue(Files.exists(out.resolve(CompactWeights.FILE)) && !Files.exists(out.resolve(ModelDirectory.WEIGHTS)));
        assertTrue(Files.readString(out.resolve("README.md")).contains("Compressed with prune=0.5:wanda,share=16"));
        try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = ModelDirectory.load(out, m)) {
            loaded.model().parameters().forEach((name, p) -> {
                float[] w = p.getArray().toFloatArray();
                if (name.endsWith("_proj.weight")) {
                    // Wanda prunes half of every row; training moved none of those zeros
                    assertEquals(w.length / 2, IntStream.range(0, w.length).filter(i -> w[i] == 0f).count(), name);
                }
                if (p.getArray().getShape().dimension() == 2) {
                    assertTrue(IntStream.range(0, w.length).mapToObj(i -> w[i]).distinct().count() <= 16, name);
                }
            });
        }
    }

    @Test
    void anInterruptedRecoveryFineTuneResumesFromItsCompactCheckpointExactly() throws IOException {
        Path data = Files.writeString(tmp.resolve("logs.log"), TinyModels.logText(400));
        Path base = tmp.resolve("base");
        TinyModels.write(base, 4);
        Path straight = tmp.resolve("straight");
        TrainingJob.run(recovery(data, base, straight, 0, false), p -> { }, s -> { }, TaskControl.none());

        Path interrupted = tmp.resolve("interrupted");
        cancelledAt(4, recovery(data, base, interrupted, 3, false), s -> { });
        assertEquals(3, TrainingState.read(interrupted).step());
        assertTrue(Files.exists(interrupted.resolve(CompactWeights.FILE)), "the checkpoint is compact");

        TrainResult resumed = TrainingJob.run(recovery(data, base, interrupted, 3, true), p -> { }, s -> { }, TaskControl.none());
        assertEquals(6, resumed.stepsDone());
        TestArrays.assertSameWeights(weights(straight), weights(interrupted));
    }

    /** With dropout, the resumed steps must draw the masks the uninterrupted run drew. */
    @ParameterizedTest
    @ValueSource(doubles = {0, 0.3})
    void anInterruptedLoraRunResumesFromItsAdapterCheckpointExactly(double dropout) throws IOException {
        Path data = Files.writeString(tmp.resolve("logs.log"), TinyModels.logText(400));
        Path base = tmp.resolve("base");
        TinyModels.write(base, 4);
        Path straight = tmp.resolve("straight");
        TrainingJob.run(lora(data, base, straight, 0, false, dropout), p -> { }, s -> { }, TaskControl.none());
        if (dropout > 0) {
            Path undropped = tmp.resolve("undropped");
            TrainingJob.run(lora(data, base, undropped, 0, false, 0), p -> { }, s -> { }, TaskControl.none());
            Map<String, float[]> dropped = weights(straight);
            assertFalse(weights(undropped).entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), dropped.get(e.getKey()))),
                    "dropout changes the training");
        }

        Path interrupted = tmp.resolve("interrupted");
        List<String> log = new java.util.ArrayList<>();
        cancelledAt(4, lora(data, base, interrupted, 3, false, dropout), log::add);
        assertTrue(Files.readString(interrupted.resolve("adapter").resolve(org.slmworkbench.lora.PeftAdapter.CONFIG))
                .contains("\"lora_dropout\": " + dropout));
        assertEquals(3, TrainingState.read(interrupted).step());
        assertTrue(Files.isRegularFile(interrupted.resolve("adapter").resolve(org.slmworkbench.lora.PeftAdapter.WEIGHTS)),
                "the checkpoint is the adapter");
        assertFalse(Files.exists(interrupted.resolve(CompactWeights.FILE)) || Files.exists(interrupted.resolve(ModelDirectory.WEIGHTS)),
                "and not a copy of the base");
        assertTrue(log.stream().anyMatch(l -> l.contains("the last checkpoint in " + interrupted + " is intact")), log.toString());

        List<String> resumedLog = new java.util.ArrayList<>();
        TrainResult resumed = TrainingJob.run(lora(data, base, interrupted, 3, true, dropout), p -> { }, resumedLog::add, TaskControl.none());
        assertEquals(6, resumed.stepsDone());
        assertTrue(resumedLog.contains("resuming at step 3"), resumedLog.toString());
        assertFalse(TrainingState.existsIn(interrupted), "the finished model carries no optimizer state");
        TestArrays.assertSameWeights(weights(straight), weights(interrupted));
    }

    /** Runs {@code req} and cancels it when step {@code step} reports, as a user stopping it. */
    static TrainResult cancelledAt(int step, TrainingJob.Request req, java.util.function.Consumer<String> log) throws IOException {
        TaskControl control = new TaskControl();
        return TrainingJob.run(req, p -> {
            if (p.step() == step) {
                control.cancel();
            }
        }, log, control);
    }

    TrainingJob.Request lora(Path data, Path base, Path out, int checkpointEvery, boolean resume, double dropout) {
        TrainConfig cfg = new TrainConfig(6, 4, 32, 1e-2, 1e-3, 2, 0.1, 1.0, 9, 3, 8, checkpointEvery, 0);
        return new TrainingJob.Request(List.of(data), out, null, base, CompressionConfig.parse("prune=0.5"), cfg, resume, "test", null,
                org.slmworkbench.lora.LoraConfig.of(4, null, null).withDropout(dropout));
    }

    @Test
    void compressionNeedsABaseModelAndAStaticExit() {
        Path data = tmp.resolve("logs.log");
        TrainConfig cfg = TrainConfig.defaults(3, 4, 32, 1e-3, 9);
        IllegalArgumentException scratch = assertThrows(IllegalArgumentException.class, () -> new TrainingJob.Request(List.of(data),
                tmp.resolve("o"), shape, null, CompressionConfig.parse("share=16"), cfg, false, "test"));
        assertTrue(scratch.getMessage().contains("base model"), scratch.getMessage());
        IllegalArgumentException threshold = assertThrows(IllegalArgumentException.class, () -> new TrainingJob.Request(List.of(data),
                tmp.resolve("o"), null, tmp.resolve("base"), CompressionConfig.parse("exit=1@0.9"), cfg, false, "test"));
        assertTrue(threshold.getMessage().contains("exit=1"), threshold.getMessage());
    }

    static Map<String, float[]> weights(Path dir) {
        Map<String, float[]> w = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = ModelDirectory.load(dir, m)) {
            loaded.model().parameters().forEach((k, p) -> w.put(k, p.getArray().toFloatArray()));
        }
        return w;
    }
}
