package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slmworkbench.TaskControl;
import org.slmworkbench.TestArrays;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.GptFolders;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.ModelExport;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.Weight;
import org.slmworkbench.model.gpt2.GptConfig;
import org.slmworkbench.model.gpt2.GptTensors;
import org.slmworkbench.train.TokenWindows;
import org.slmworkbench.train.TrainConfig;
import org.slmworkbench.train.Trainer;

/** Every compression method, the compact format, hf export and recovery fine-tuning on GPT-2 and GPTBigCode (multi-query or not). */
class GptCompressionTest {
    private static final long[] IDS = {5, 17, 200, 3, 9, 258, 0, 41, 41, 120, 7};

    @TempDir Path tmp;

    static Stream<GptConfig> configs() {
        return Stream.of(GptFolders.gpt2(), GptFolders.bigCode(true), GptFolders.bigCode(false));
    }

    private LoadedLm load(GptConfig c, NDManager m) throws IOException {
        Path dir = tmp.resolve("base");
        if (!Files.exists(dir)) {
            GptFolders.write(dir, c, TensorDType.F32, 7);
        }
        return CheckpointLoader.load(dir, m);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void unstructuredPruningZeroesItsShareOfEveryProjectionAndNothingElse(GptConfig c) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); LoadedLm base = load(c, m)) {
            List<String> projections = base.model().config().projections();
            assertEquals(4 * c.nLayer(), projections.size());
            assertTrue(projections.contains(GptTensors.layerPrefix(0) + "attn.c_attn.weight"), projections.toString());
            int[] calibration = new SplittableRandom(1).ints(80, 0, c.vocabSize()).toArray();
            for (String setting : List.of("prune=0.5:magnitude", "prune=0.5:global-magnitude", "prune=0.5:wanda")) {
                try (CompressedModel p = Compressor.compress(base.model(), CompressionConfig.parse(setting), m, calibration)) {
                    int zeros = 0;
                    int total = 0;
                    for (String name : base.model().parameters().keySet()) {
                        float[] before = values(base.model(), name);
                        float[] after = values(p.model(), name);
                        if (!projections.contains(name)) {
                            assertArrayEquals(before, after, 0f, setting + " left " + name + " alone");
                            continue;
                        }
                        int z = zeros(after);
                        zeros += z;
                        total += after.length;
                        if (setting.endsWith(":magnitude")) {
                            assertEquals(after.length / 2, z, setting + " " + name);
                        }
                        if (setting.endsWith(":wanda")) {
                            // every output row (the model holds (out, in)) loses half its inputs
                            int in = (int) p.model().parameters().get(name).getArray().getShape().get(1);
                            for (int row = 0; row < after.length / in; row++) {
                                assertEquals(in / 2, zeros(Arrays.copyOfRange(after, row * in, (row + 1) * in)), name + " row " + row);
                            }
                        }
                    }
                    if (setting.endsWith(":global-magnitude")) {
                        assertEquals(total / 2, zeros, "one threshold over all projections");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void structuredPruningRemovesTheWeakestHeadsAndNeuronsAndNothingThatMatters(GptConfig c) throws IOException {
        boolean multiQuery = c.kvHeads() == 1;
        int keepHeads = (int) Math.round(c.nHead() * 0.5);
        int keepNeurons = Math.max(8, (int) Math.round(c.nInner() * 0.5 / 8) * 8);
        try (NDManager m = NDManager.newBaseManager(); LoadedLm base = load(c, m)) {
            int hd = c.headDim();
            for (int layer = 0; layer < c.nLayer(); layer++) {
                String p = GptTensors.layerPrefix(layer);
                // the last heads and neurons of every layer: inputs shrunk (the weakest) and outputs silenced (they add nothing)
                for (int h = keepHeads; h < c.nHead(); h++) {
                    scaleRows(base.model(), p + "attn.c_attn.weight", h * hd, hd, c.nEmbd());
                    if (!multiQuery) {
                        scaleRows(base.model(), p + "attn.c_attn.weight", c.nEmbd() + h * hd, hd, c.nEmbd());
                        scaleRows(base.model(), p + "attn.c_attn.weight", 2 * c.nEmbd() + h * hd, hd, c.nEmbd());
                    }
                    zeroColumns(base.model(), p + "attn.c_proj.weight", h * hd, hd, c.nEmbd());
                }
                scaleRows(base.model(), p + "mlp.c_fc.weight", keepNeurons, c.nInner() - keepNeurons, c.nEmbd());
                zeroColumns(base.model(), p + "mlp.c_proj.weight", keepNeurons, c.nInner() - keepNeurons, c.nInner());
            }
            try (CompressedModel pruned = Compressor.compress(base.model(), CompressionConfig.parse("prune=0.5:structured"), m)) {
                GptConfig pc = (GptConfig) pruned.model().config();
                assertEquals(keepHeads, pc.nHead());
                assertEquals(multiQuery ? 1 : keepHeads, pc.kvHeads(), "multi-query keeps its one shared key/value head");
                assertEquals(hd, pc.headDim());
                assertEquals(keepNeurons, pc.nInner());
                assertEquals(0, keepNeurons % 8);
                String p = GptTensors.layerPrefix(0);
                assertEquals(new Shape(pc.qkvWidth(), c.nEmbd()), shape(pruned.model(), p + "attn.c_attn.weight"));
                assertEquals(new Shape(pc.qkvWidth()), shape(pruned.model(), p + "attn.c_attn.bias"));
                assertEquals(new Shape(c.nEmbd(), keepHeads * hd), shape(pruned.model(), p + "attn.c_proj.weight"));
                assertEquals(new Shape(keepNeurons, c.nEmbd()), shape(pruned.model(), p + "mlp.c_fc.weight"));
                assertEquals(new Shape(keepNeurons), shape(pruned.model(), p + "mlp.c_fc.bias"));
                assertEquals(new Shape(c.nEmbd(), keepNeurons), shape(pruned.model(), p + "mlp.c_proj.weight"));
                assertTrue(pruned.model().parameterCount() < base.model().parameterCount());
                float[] expected = logits(base.model(), m);
                float[] actual = logits(pruned.model(), m);
                assertTrue(TestArrays.maxAbsDiff(expected, actual) < 1e-4, "max diff " + TestArrays.maxAbsDiff(expected, actual));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void structuredPruningAtRatioZeroKeepsTheModelExactly(GptConfig c) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); LoadedLm base = load(c, m)) {
            StructuredPruning.Widths widths = StructuredPruning.widths(c, 0);
            assertEquals(c, widths.applyTo(c));
            Map<String, float[]> sliced = new java.util.HashMap<>();
            for (int layer = 0; layer < c.layers(); layer++) {
                sliced.putAll(StructuredPruning.layer(c, layer, name -> values(base.model(), name), widths));
            }
            NDManager copyManager = m.newSubManager();
            Map<String, Shape> shapes = c.tensorShapes();
            try (CausalLm copy = c.newModel(copyManager, name -> Weight.of(copyManager.create(
                    sliced.containsKey(name) ? sliced.get(name) : values(base.model(), name), shapes.get(name))))) {
                assertArrayEquals(logits(base.model(), m), logits(copy, m), 0f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void sharingLeavesAtMostKValuesPerMatrixAndAStaticExitCutsLayers(GptConfig c) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); LoadedLm base = load(c, m);
                CompressedModel shared = Compressor.compress(base.model(), CompressionConfig.parse("share=8"), m);
                CompressedModel exited = Compressor.compress(base.model(), CompressionConfig.parse("exit=2"), m)) {
            shared.model().parameters().forEach((name, p) -> {
                float[] v = p.getArray().toFloatArray();
                if (p.getArray().getShape().dimension() == 2) {
                    assertTrue(distinct(v) <= 8, name + " has " + distinct(v) + " values");
                } else {
                    assertArrayEquals(values(base.model(), name), v, 0f, "norms and biases are not shared: " + name);
                }
            });
            assertEquals(2, exited.model().numLayers());
            float[] early = base.model().forward(m.create(IDS, new Shape(1, IDS.length)), null, 2).toFloatArray();
            assertArrayEquals(early, logits(exited.model(), m), 0f);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void compactFilesReloadToIdenticalLogits(GptConfig c) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); LoadedLm base = load(c, m)) {
            for (String setting : List.of("prune=0.5:magnitude,share=16", "prune=0.5:structured,exit=2")) {
                try (CompressedModel p = Compressor.compress(base.model(), CompressionConfig.parse(setting), m)) {
                    Path dir = tmp.resolve("compact");
                    ModelDirectory.save(dir, p.model(), ModelDirectory.copyTokenizerFrom(base.directory()),
                            new ModelDirectory.Extras(null, null, true));
                    assertFalse(Files.exists(dir.resolve(ModelDirectory.WEIGHTS)));
                    try (LoadedLm back = CheckpointLoader.load(dir, m)) {
                        assertEquals(p.model().config(), back.model().config(), setting);
                        assertArrayEquals(logits(p.model(), m), logits(back.model(), m), 0f, setting);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void hfExportWritesTheFamilysOwnLayoutAndRefusesPrunedHeads(GptConfig c) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); LoadedLm base = load(c, m)) {
            // at 10%, no head goes but the MLP shrinks: a shape n_inner describes
            for (String setting : List.of("prune=0.5:magnitude,exit=2", "prune=0.1:structured")) {
                CompressionConfig config = CompressionConfig.parse(setting);
                try (CompressedModel p = Compressor.compress(base.model(), config, m)) {
                    Path out = tmp.resolve("hf");
                    ModelExport.write(base.directory(), p.model(), config, ModelExport.Format.HF, out, "", "test");
                    JsonObject json = JsonParser.parseString(Files.readString(out.resolve(ModelDirectory.CONFIG))).getAsJsonObject();
                    GptConfig written = (GptConfig) p.model().config();
                    assertEquals(c.architecture(), json.getAsJsonArray("architectures").get(0).getAsString());
                    assertEquals(written.nInner(), json.get("n_inner").getAsInt());
                    assertEquals(written.nLayer(), json.get("n_layer").getAsInt());
                    assertFalse(json.has("head_dim"), "Hugging Face derives the head size");
                    try (LoadedLm back = CheckpointLoader.load(out, m)) {
                        assertArrayEquals(logits(p.model(), m), logits(back.model(), m), 0f, setting);
                    }
                }
            }
            CompressionConfig heads = CompressionConfig.parse("prune=0.5:structured");
            try (CompressedModel p = Compressor.compress(base.model(), heads, m)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                        ModelExport.write(base.directory(), p.model(), heads, ModelExport.Format.HF, tmp.resolve("refused"), "", "test"));
                assertTrue(e.getMessage().contains("n_embd / n_head") && e.getMessage().contains("compact"), e.getMessage());
                assertFalse(Files.exists(tmp.resolve("refused")));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void recoveryFineTuningLowersTheLossAndKeepsMasksAndClusters(GptConfig c) throws IOException {
        CompressionConfig setting = CompressionConfig.parse("prune=0.5:magnitude,share=16");
        int[] text = new SplittableRandom(3).ints(400, 0, 12).toArray(); // few distinct tokens: quickly learnable
        TokenWindows data = new TokenWindows(text, 16);
        try (NDManager m = NDManager.newBaseManager(); LoadedLm base = load(c, m);
                CompressedModel p = Compressor.compress(base.model(), setting, m);
                WeightConstraints constraints = WeightConstraints.of(p.model(), setting)) {
            assertEquals(p.model().parameters().values().stream().filter(w -> w.getArray().getShape().dimension() == 2).count(),
                    constraints.sharedTensors());
            Map<String, float[]> before = new LinkedHashMap<>();
            p.model().parameters().forEach((name, w) -> before.put(name, w.getArray().toFloatArray()));
            Trainer trainer = new Trainer(p.model(), new TrainConfig(12, 4, 16, 3e-3, 3e-4, 2, 0.1, 1.0, 11, 1000, 8, 0, 0), data, null,
                    constraints::apply);
            double lossBefore = trainer.evaluate(data, 8);
            trainer.run(e -> { }, TaskControl.none(), null);
            double lossAfter = trainer.evaluate(data, 8);
            assertTrue(lossAfter < lossBefore - 0.1, "loss " + lossBefore + " -> " + lossAfter);
            Set<String> projections = new HashSet<>(p.model().config().projections());
            before.forEach((name, w0) -> {
                float[] w1 = values(p.model(), name);
                for (int i = 0; i < w0.length; i++) {
                    if (projections.contains(name) && w0[i] == 0f) {
                        assertEquals(0f, w1[i], 0f, name + "[" + i + "] was pruned");
                    }
                }
                if (p.model().parameters().get(name).getArray().getShape().dimension() == 2) {
                    assertTrue(distinct(w1) <= 16, name + " has " + distinct(w1) + " values");
                }
            });
        }
    }

    private static float[] logits(CausalLm model, NDManager m) {
        try (NDManager step = m.newSubManager()) {
            return model.forward(step.create(IDS, new Shape(1, IDS.length))).toFloatArray();
        }
    }

    private static float[] values(CausalLm model, String name) {
        return model.parameters().get(name).getArray().toFloatArray();
    }

    private static Shape shape(CausalLm model, String name) {
        return model.parameters().get(name).getArray().getShape();
    }

    private static int zeros(float[] v) {
        int n = 0;
        for (float x : v) {
            n += x == 0f ? 1 : 0;
        }
        return n;
    }

    private static int distinct(float[] v) {
        Set<Float> s = new HashSet<>();
        for (float x : v) {
            s.add(x == 0f ? 0f : x);
        }
        return s.size();
    }

    /** Rows [from, from + n) of a matrix held (rows, width), shrunk a thousandfold: the weakest units. */
    private static void scaleRows(CausalLm model, String name, int from, int n, int width) {
        NDArray a = model.parameters().get(name).getArray();
        float[] v = a.toFloatArray();
        for (int i = from * width; i < (from + n) * width; i++) {
            v[i] *= 1e-3f;
        }
        a.set(v);
    }

    /** Columns [from, from + n) of a matrix held (rows, width) set to zero: the units' outputs silenced. */
    private static void zeroColumns(CausalLm model, String name, int from, int n, int width) {
        NDArray a = model.parameters().get(name).getArray();
        float[] v = a.toFloatArray();
        for (int r = 0; r < v.length / width; r++) {
            for (int col = from; col < from + n; col++) {
                v[r * width + col] = 0;
            }
        }
        a.set(v);
    }
}
