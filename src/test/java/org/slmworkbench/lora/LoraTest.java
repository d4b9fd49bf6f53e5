package org.slmworkbench.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slmworkbench.BadInputException;
import org.slmworkbench.TestArrays;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.AdapterDropout;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.LowRankAdapter;
import org.slmworkbench.model.Precision;
import org.slmworkbench.model.RecomputedBackward;
import org.slmworkbench.model.Weight;
import org.slmworkbench.train.Losses;

class LoraTest {
    private static final LlamaConfig SHAPE = new LlamaConfig(64, 96, 3, 4, 2, 16, 1e-5, 10000, 64, 300, false, 299, 299);

    @Test
    void theMergedWeightIsTheBasePlusScaledProductOfTheFactorsInDoublePrecision() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(SHAPE, m, 1)) {
            LoraModel lora = LoraFixtures.withRandomFactors(LoraModel.attach(base, LoraConfig.of(4, 12.0, null), 2), 3);
            String name = "model.layers.1.mlp.down_proj.weight";
            LowRankAdapter a = lora.adapters().get(name);
            float[] w = base.weights().get(name).floats();
            float[] fa = a.a().toFloatArray();
            float[] fb = a.b().toFloatArray();
            int out = (int) a.outFeatures();
            int in = (int) a.inFeatures();
            double[] expected = new double[out * in];
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    double sum = 0;
                    for (int k = 0; k < 4; k++) {
                        sum += (double) fb[i * 4 + k] * fa[k * in + j];
                    }
                    expected[i * in + j] = w[i * in + j] + 12.0 / 4 * sum;
                }
            }
            lora.mergeIntoBase(false);
            lora.close();
            float[] merged = base.weights().get(name).floats();
            for (int i = 0; i < merged.length; i++) {
                assertEquals(expected[i], merged[i], 1e-6, "element " + i);
            }
        }
    }

    @Test
    void anAdaptedModelComputesWhatItsMergedWeightsDoAndLinearLayersAreTheDefaultTargets() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(SHAPE, m, 4)) {
            LoraModel lora = LoraFixtures.withRandomFactors(LoraModel.attach(base, LoraConfig.of(8, null, null), 5), 6);
            assertEquals(7 * SHAPE.numHiddenLayers(), lora.adapters().size(), "q, k, v, o, gate, up, down of every block");
            assertFalse(lora.adapters().containsKey("lm_head.weight"));
            assertEquals(2 * lora.adapters().size(), lora.parameters().size());
            assertTrue(lora.parameters().containsKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
            NDArray ids = ids(m, 9, 20);
            float[] adapted = lora.model().forward(ids).toFloatArray();
            float[] baseLogits = base.forward(ids).toFloatArray();
            assertTrue(TestArrays.maxAbsDiff(adapted, baseLogits) > 1e-3, "the adapters change the output");
            lora.mergeIntoBase(false);
            double diff = TestArrays.maxAbsDiff(adapted, base.forward(ids).toFloatArray());
            assertTrue(diff <= 1e-4, "merged against adapted: max abs diff " + diff);
        }
    }

    @Test
    void onlyTheNamedModulesAreAdaptedAndUnknownNamesAreRefused() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(SHAPE, m, 4)) {
            LoraModel lora = LoraModel.attach(base, LoraConfig.of(2, null, "q,v"), 1);
            assertEquals(2 * SHAPE.numHiddenLayers(), lora.adapters().size());
            assertTrue(lora.adapters().keySet().stream().allMatch(n -> n.endsWith("q_proj.weight") || n.endsWith("v_proj.weight")));
            lora.close();
            BadInputException e = assertThrows(BadInputException.class, () -> LoraModel.attach(base, LoraConfig.of(2, null, "c_attn"), 1));
            assertTrue(e.getMessage().contains("match no linear layer"), e.getMessage());
        }
        assertThrows(BadInputException.class, () -> LoraConfig.of(0, null, null));
        assertThrows(BadInputException.class, () -> LoraConfig.of(4, null, "q;k"));
    }

    @Test
    void aMergeKeepsPrunedWeightsAtZero() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(SHAPE, m, 7)) {
            String name = "model.layers.0.mlp.up_proj.weight";
            Weight w = base.weights().get(name);
            float[] values = w.floats();
            for (int i = 0; i < values.length; i += 2) {
                values[i] = 0;
            }
            w.overwrite(values);
            LoraFixtures.withRandomFactors(LoraModel.attach(base, LoraConfig.of(4, null, null), 8), 9).mergeIntoBase(true);
            float[] merged = base.weights().get(name).floats();
            for (int i = 0; i < merged.length; i++) {
                if (i % 2 == 0) {
                    assertEquals(0f, merged[i], "pruned element " + i);
                } else {
                    assertTrue(merged[i] != values[i], "kept element " + i + " takes the update");
                }
            }
        }
    }

    /** With dropout, the recomputed blocks must draw the masks their forward pass drew, or the gradients are another model's. */
    @ParameterizedTest
    @CsvSource({"0, 0", "0.5, 0", "0, 0.3", "0.5, 0.3"})
    void blockByBlockRecomputationGivesTheGradientsOfOneAutogradPass(double exitWeight, double dropout) {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(SHAPE, m, 10)) {
            NDArray ids = ids(m, 11, 2 * 24).reshape(2, 24);
            NDArray targets = ids(m, 12, 2 * 24).reshape(2, 24);
            LoraConfig config = LoraConfig.of(4, null, null).withDropout(dropout);
            Map<String, float[]> expected;
            float expectedLoss;
            float undroppedLoss;
            try (LoraModel lora = LoraFixtures.withRandomFactors(LoraModel.attach(base, config, 13), 14);
                    NDManager step = m.newSubManager()) {
                lora.parameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
                try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray loss = AdapterDropout.training(1337, 3, () -> exitWeight > 0
                            ? Losses.earlyExitLoss(lora.model().exitLogits(ids), targets, exitWeight)
                            : Losses.crossEntropy(lora.model().forward(ids), targets));
                    c.backward(loss);
                    expectedLoss = loss.getFloat();
                }
                expected = gradients(lora.parameters());
                undroppedLoss = Losses.crossEntropy(lora.model().forward(ids), targets).getFloat();
            }
            if (exitWeight == 0) {
                assertEquals(dropout > 0, expectedLoss != undroppedLoss, "dropout changes the training loss, and only dropout does");
            }
            try (LoraModel lora = LoraFixtures.withRandomFactors(LoraModel.attach(base, config, 13), 14);
                    NDManager step = m.newSubManager()) {
                lora.parameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
                float loss = AdapterDropout.training(1337, 3, () -> RecomputedBackward.lossAndGradients(lora.model(), ids, targets,
                        exitWeight, step));
                assertEquals(expectedLoss, loss, 1e-5);
                Map<String, float[]> actual = gradients(lora.parameters());
                expected.forEach((name, g) -> {
                    double scale = java.util.Arrays.stream(toDouble(g)).map(Math::abs).max().orElse(0);
                    assertTrue(scale > 0, name + " has a gradient");
                    assertTrue(TestArrays.maxAbsDiff(g, actual.get(name)) <= 1e-5 * Math.max(1, scale), name);
                });
            }
        }
    }

    @Test
    void onASixteenBitBaseTheRecomputedGradientsAreThoseOfItsValuesInF32() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel f32 = TinyModels.random(SHAPE, m, 15)) {
            Map<String, Weight> bf16 = new HashMap<>();
            Map<String, Weight> widened = new HashMap<>();
            f32.weights().forEach((name, w) -> {
                Weight held = w.shape().dimension() == 2 ? Weight.fromFloats(m, w.shape(), Precision.BF16, w.floats()) : w;
                bf16.put(name, held);
                widened.put(name, Weight.of(m.create(held.floats(), held.shape())));
            });
            NDArray ids = ids(m, 16, 32).reshape(1, 32);
            NDArray targets = ids(m, 17, 32).reshape(1, 32);
            try (LlamaModel low = new LlamaModel(SHAPE, m.newSubManager(), bf16::get);
                    LlamaModel reference = new LlamaModel(SHAPE, m.newSubManager(), widened::get);
                    LoraModel a = LoraFixtures.withRandomFactors(LoraModel.attach(low, LoraConfig.of(4, null, null), 18), 19);
                    LoraModel b = LoraFixtures.withRandomFactors(LoraModel.attach(reference, LoraConfig.of(4, null, null), 18), 19);
                    NDManager step = m.newSubManager()) {
                a.parameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
                b.parameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
                float la = RecomputedBackward.lossAndGradients(a.model(), ids, targets, 0, step);
                float lb = RecomputedBackward.lossAndGradients(b.model(), ids, targets, 0, step);
                assertEquals(lb, la, 1e-5);
                Map<String, float[]> gb = gradients(b.parameters());
                gradients(a.parameters()).forEach((name, g) -> {
                    double scale = java.util.Arrays.stream(toDouble(gb.get(name))).map(Math::abs).max().orElse(0);
                    double diff = TestArrays.maxAbsDiff(gb.get(name), g);
                    assertTrue(diff <= 1e-5 * Math.max(1, scale), name + ": max abs diff " + diff + " of gradients up to " + scale);
                });
            }
        }
    }

    @Test
    void aPeftAdapterFolderLoadedOverItsBaseGivesTheMergedModelsLogits(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(SHAPE, m, 20);
                LlamaModel again = TinyModels.random(SHAPE, m, 20)) {
            LoraModel lora = LoraFixtures.withRandomFactors(LoraModel.attach(base, LoraConfig.of(4, 8.0, "q,k,v,o,gate"), 21), 22);
            PeftAdapter.writeInto(dir, lora, "base", "prune=0.5:wanda");
            String config = Files.readString(dir.resolve(PeftAdapter.CONFIG));
            assertTrue(config.contains("\"target_modules\": [\n    \"q_proj\",\n    \"k_proj\",\n    \"v_proj\",\n    \"o_proj\",\n    \"gate_proj\""),
                    config);
            NDArray ids = ids(m, 23, 30);
            lora.mergeIntoBase(false);
            float[] merged = base.forward(ids).toFloatArray();
            PeftAdapter.Saved saved = PeftAdapter.read(dir);
            assertEquals("prune=0.5:wanda", saved.compression());
            assertEquals(8.0, saved.config().alpha());
            try (LoraModel loaded = PeftAdapter.apply(saved, again)) {
                double diff = TestArrays.maxAbsDiff(merged, loaded.model().forward(ids).toFloatArray());
                assertTrue(diff <= 1e-4, "max abs diff " + diff);
            }
        }
    }

    /** Dropout acts while training only: an adapter saved with it loads with it (a resume needs it) and computes as one without. */
    @Test
    void anAdapterSavedWithDropoutLoadsItAndGivesTheLogitsOfTheSameAdapterWithout(@TempDir Path dir) throws Exception {
        Path dropped = Files.createDirectory(dir.resolve("dropped"));
        Path plain = Files.createDirectory(dir.resolve("plain"));
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(SHAPE, m, 24)) {
            try (LoraModel a = LoraFixtures.withRandomFactors(LoraModel.attach(base, LoraConfig.of(4, null, null).withDropout(0.25), 25), 26);
                    LoraModel b = LoraFixtures.withRandomFactors(LoraModel.attach(base, LoraConfig.of(4, null, null), 25), 26)) {
                PeftAdapter.writeInto(dropped, a, "base", "");
                PeftAdapter.writeInto(plain, b, "base", "");
            }
            assertTrue(Files.readString(dropped.resolve(PeftAdapter.CONFIG)).contains("\"lora_dropout\": 0.25"));
            PeftAdapter.Saved saved = PeftAdapter.read(dropped);
            assertEquals(0.25, saved.config().dropout());
            NDArray ids = ids(m, 27, 30);
            try (LoraModel withDropout = PeftAdapter.apply(saved, base); LoraModel without = PeftAdapter.apply(PeftAdapter.read(plain), base)) {
                assertTrue(withDropout.adapters().values().stream().allMatch(a -> a.dropout() == 0.25));
                assertTrue(java.util.Arrays.equals(without.model().forward(ids).toFloatArray(), withDropout.model().forward(ids).toFloatArray()));
            }
            Files.writeString(dropped.resolve(PeftAdapter.CONFIG), Files.readString(dropped.resolve(PeftAdapter.CONFIG))
                    .replace("\"lora_dropout\": 0.25", "\"lora_dropout\": 1.5"));
            BadInputException e = assertThrows(BadInputException.class, () -> PeftAdapter.read(dropped));
            assertTrue(e.getMessage().contains(PeftAdapter.CONFIG) && e.getMessage().contains("dropout"), e.getMessage());
        }
        assertThrows(BadInputException.class, () -> LoraConfig.of(4, null, null).withDropout(1));
        assertThrows(BadInputException.class, () -> LoraConfig.of(4, null, null).withDropout(-0.1));
    }

    @Test
    void anAdapterForAnotherShapeIsRefusedNamingItsFile(@TempDir Path dir) throws Exception {
        LlamaConfig wider = new LlamaConfig(96, 96, 3, 4, 2, 24, 1e-5, 10000, 64, 300, false, 299, 299);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(SHAPE, m, 20);
                LlamaModel other = TinyModels.random(wider, m, 20)) {
            PeftAdapter.writeInto(dir, LoraModel.attach(other, LoraConfig.of(2, null, null), 1), "other", "");
            BadInputException e = assertThrows(BadInputException.class, () -> PeftAdapter.apply(PeftAdapter.read(dir), base));
            assertTrue(e.getMessage().contains(PeftAdapter.WEIGHTS) && e.getMessage().contains("do not fit"), e.getMessage());
            Files.writeString(dir.resolve(PeftAdapter.CONFIG), "{\"peft_type\": \"IA3\"}");
            e = assertThrows(BadInputException.class, () -> PeftAdapter.read(dir));
            assertTrue(e.getMessage().contains(PeftAdapter.CONFIG) && e.getMessage().contains("IA3"), e.getMessage());
        }
    }


    private static NDArray ids(NDManager m, long seed, int n) {
        long[] ids = new Random(seed).longs(n, 0, SHAPE.vocabSize()).toArray();
        return m.create(ids, new Shape(1, n));
    }

    private static Map<String, float[]> gradients(Map<String, Parameter> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, p) -> {
            try (NDArray g = p.getArray().getGradient()) {
                out.put(k, g.toFloatArray());
            }
        });
        return out;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
