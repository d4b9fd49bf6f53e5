package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slmworkbench.Main;
import org.slmworkbench.TestArrays;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.CheckpointShape;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.RandomCheckpoint;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.Precision;
import org.slmworkbench.model.Weight;
import org.slmworkbench.model.WeightPolicy;

/**
 * At a reduced scale (a 54M-parameter bf16 Llama whose projections are most of it): a compressed
 * copy shares the base's unchanged tensors and keeps the stored precision, and compression runs in
 * a heap far smaller than the model, bounded by a few times its largest tensor.
 */
class CompressionMemoryTest {
    /** 16 layers of hidden 512 and MLP 1,536 (50M values of projections) and 2,048 tokens: the largest tensor has 1,048,576 values. */
    static final LlamaConfig SHAPE = new LlamaConfig(512, 1536, 16, 8, 4, 64, 1e-5, 10000, 256, 2048, false, 0, 0);

    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void write() throws IOException {
        model = dir.resolve("m54");
        RandomCheckpoint.write(model, CheckpointShape.of(SHAPE), TensorDType.BF16, 3, TinyModels.tokenizer()::save);
    }

    @Test
    void aCopySharesWhatItDoesNotChangeAndKeepsTheStoredPrecision() {
        try (NDManager m = NDManager.newBaseManager(); LoadedLm base = CheckpointLoader.load(model, m)) {
            CausalLm b = base.model();
            assertEquals(Precision.BF16, b.weights().get("model.layers.3.mlp.up_proj.weight").precision());
            assertEquals(Precision.F32, b.weights().get("model.norm.weight").precision(), "vectors are widened");
            long halves = b.weights().values().stream().filter(w -> w.shape().dimension() == 2).mapToLong(w -> w.shape().size()).sum();
            assertTrue(b.weightBytes() < 2 * halves + 4 * 512 * 40, "held at 16 bits: " + b.weightBytes() + " bytes");
            try (CompressedModel c = Compressor.compress(b, CompressionConfig.parse("prune=0.5:magnitude"), m)) {
                Map<String, Weight> own = Compressor.ownTensors(c.model(), b);
                assertEquals(b.config().projections().size(), own.size(), "only the pruned projections are new");
                assertSame(b.weights().get("model.embed_tokens.weight"), c.model().weights().get("model.embed_tokens.weight"));
                assertSame(b.weights().get("model.layers.0.input_layernorm.weight"), c.model().weights().get("model.layers.0.input_layernorm.weight"));
                assertTrue(own.values().stream().allMatch(w -> w.precision() == Precision.BF16), "pruned copies stay bf16");
            }
            try (CompressedModel c = Compressor.compress(b, CompressionConfig.parse("exit=8"), m)) {
                assertTrue(Compressor.ownTensors(c.model(), b).isEmpty(), "a static exit shares every layer it keeps");
                assertEquals(8, c.model().numLayers());
            }
        }
    }

    @Test
    void storedSixteenBitWeightsComputeWhatTheirF32WideningComputes() {
        try (NDManager m = NDManager.newBaseManager(); LoadedLm stored = CheckpointLoader.load(model, m);
                LoadedLm widened = CheckpointLoader.load(model, m, WeightPolicy.F32)) {
            assertEquals(Precision.F32, widened.model().matrixPrecision());
            long[] ids = {1, 17, 200, 3, 2000, 44, 101, 9};
            var x = m.create(ids, new Shape(1, ids.length));
            // a multi-token pass (widened a few rows at a time) and one cached step (the 16-bit kernel)
            float[] expected = widened.model().forward(x).toFloatArray();
            float[] actual = stored.model().forward(x).toFloatArray();
            assertTrue(TestArrays.maxAbsDiff(expected, actual) < 1e-4, "max diff " + TestArrays.maxAbsDiff(expected, actual));
            try (var cache = stored.model().newCache(1, 16)) {
                stored.model().forward(x.get(new NDIndex(":, 0:7")), cache, stored.model().numLayers());
                float[] step = stored.model().forward(x.get(new NDIndex(":, 7:8")), cache, stored.model().numLayers()).toFloatArray();
                float[] last = widened.model().forward(x).get(new NDIndex(":, -1, :")).toFloatArray();
                assertTrue(TestArrays.maxAbsDiff(last, step) < 1e-3, "max diff " + TestArrays.maxAbsDiff(last, step));
            }
        }
    }

    /**
     * Each method compresses in a JVM whose heap is 48 MB plus eight times the largest tensor in f32,
     * less than half of what the projections it changes would take as f32 arrays all at once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"prune=0.5:global-magnitude", "prune=0.5:wanda", "prune=0.5:structured", "share=16"})
    void compressionFitsAHeapOfAFewLargestTensors(String setting) throws Exception {
        long largest = 1_048_576L * Float.BYTES;
        long heap = (48L << 20) + 8 * largest;
        long projectionsF32 = 16L * (2 * 512 * 512 + 2 * 256 * 512 + 3 * 512 * 1536) * Float.BYTES;
        assertTrue(heap < projectionsF32 / 2, "the cap " + heap + " is well below the changed tensors' " + projectionsF32 + " bytes");
        Path calibration = dir.resolve("calibration.log");
        Files.writeString(calibration, TinyModels.logText(400), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-Xmx" + (heap >> 20) + "m", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "generate", "--model", model.toString(), "--prompt-ids", "1,2,3", "--max-new-tokens", "2", "--greedy",
                "--compression", setting, "--calibration", calibration.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("compressed (" + CompressionConfig.parse(setting).toCompactString() + ")"), out);
    }
}
