package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slmworkbench.TaskControl;
import org.slmworkbench.TestArrays;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.KvCache;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.Precision;
import org.slmworkbench.model.Weight;

class QuantizationTest {
    /** A 4,099 × 256 head passes the decode kernel's size floor, so its single-token products run on the blocks themselves. */
    private static final LlamaConfig LARGE_HEAD = new LlamaConfig(256, 96, 2, 4, 2, 64, 1e-5, 10000, 32, 4099, false, 0, 0);

    @ParameterizedTest
    @EnumSource(value = Quantization.class, names = {"INT8", "INT4"})
    void everyMatrixIsHeldInBlocksAndTheCopyComputesWithExactlyTheirValues(Quantization q) {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(LARGE_HEAD, m, 5);
                CompressedModel c = Compressor.compress(base, CompressionConfig.parse("quant=" + q.id()), m)) {
            Map<String, Weight> held = c.model().weights();
            held.forEach((name, w) -> {
                if (w.shape().dimension() == 2) {
                    assertEquals(q.precision(), w.precision(), name);
                    // values and f32 scales: 8 or 4 bits a value plus 32 bits per 32 values
                    assertEquals(w.shape().size() * (q == Quantization.INT8 ? 8 : 4) / 8 + w.shape().size() / 32 * 4, w.memoryBytes(), name);
                } else {
                    assertSame(base.weights().get(name), w, name + " is the base's own");
                }
            });
            // the reference: an f32 model of the quantized values widened, run by PyTorch alone
            Map<String, Weight> widened = new HashMap<>();
            held.forEach((name, w) -> widened.put(name, Weight.of(m.create(w.floats(), w.shape()))));
            try (LlamaModel reference = new LlamaModel(LARGE_HEAD, m.newSubManager(), widened::get)) {
                long[] tokens = {3, 4000, 17, 4098, 250, 9};
                NDArray ids = m.create(tokens, new Shape(1, tokens.length));
                float[] full = reference.forward(ids).get(new NDIndex(":, -1, :")).toFloatArray();
                assertTrue(TestArrays.maxAbsDiff(full, c.model().forward(ids).get(new NDIndex(":, -1, :")).toFloatArray()) <= 1e-4,
                        "a multi-token pass widens the blocks to exactly these values");
                try (KvCache cache = c.model().newCache(1, 32)) {
                    c.model().forward(ids.get(new NDIndex(":, 0:5")), cache, c.model().numLayers());
                    float[] step = c.model().forward(ids.get(new NDIndex(":, 5:6")), cache, c.model().numLayers()).toFloatArray();
                    double diff = TestArrays.maxAbsDiff(full, step);
                    assertTrue(diff <= 1e-4, "a decoding step reads the blocks: max abs diff " + diff);
                }
            }
        }
    }

    @Test
    void activationAwareScalesLeaveTheFunctionAsItWasBeforeRounding() {
        LlamaConfig c = new LlamaConfig(64, 96, 2, 4, 2, 16, 1e-5, 10000, 64, 300, false, 299, 299);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(c, m, 6)) {
            int[] tokens = new java.util.Random(2).ints(512, 0, 300).toArray();
            Map<String, double[]> norms = WandaPruning.inputNorms(base, tokens, TaskControl.none());
            // every group scaled at α = 1, the largest scales the search can choose
            ActivationAwareScaling.Scales scales = new ActivationAwareScaling.Scales(new HashMap<>(), new HashMap<>());
            for (int layer = 0; layer < c.layers(); layer++) {
                for (var group : c.inputScalings(layer)) {
                    float[] s = ActivationAwareScaling.scale(norms.get(group.matrices().get(0)), 1);
                    group.matrices().forEach(name -> scales.columns().put(name, s));
                    scales.divisors().put(group.source(), s);
                }
            }
            assertEquals(c.layers(), scales.divisors().size(), "the MLP's norm in every layer");
            Map<String, Weight> scaled = new HashMap<>();
            base.weights().forEach((name, w) -> scaled.put(name, Weight.of(m.create(scales.apply(name, w.floats()), w.shape()))));
            try (LlamaModel reference = new LlamaModel(c, m.newSubManager(), scaled::get)) {
                long[] ids = {3, 14, 15, 92, 65, 35};
                float[] expected = base.forward(m.create(ids, new Shape(1, 6))).toFloatArray();
                float[] actual = reference.forward(m.create(ids, new Shape(1, 6))).toFloatArray();
                assertTrue(TestArrays.maxAbsDiff(expected, actual) <= 1e-4, "max abs diff " + TestArrays.maxAbsDiff(expected, actual));
                float[] up = base.weights().get("model.layers.0.mlp.up_proj.weight").floats();
                assertTrue(TestArrays.maxAbsDiff(up, scaled.get("model.layers.0.mlp.up_proj.weight").floats()) > 1e-3,
                        "the weights themselves changed");
            }
        }
    }

    @Test
    void activationAwareQuantizationDividesTheNormAndNeedsCalibrationText() {
        LlamaConfig c = TinyModels.config(300);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(c, m, 7)) {
            int[] tokens = new java.util.Random(3).ints(1024, 0, 300).toArray();
            try (CompressedModel awq = Compressor.compress(base, CompressionConfig.parse("quant=int4:awq"), m, tokens)) {
                String norm = "model.layers.0.post_attention_layernorm.weight";
                assertEquals(Precision.F32, awq.model().weights().get(norm).precision());
                assertTrue(TestArrays.maxAbsDiff(base.weights().get(norm).floats(), awq.model().weights().get(norm).floats()) > 0,
                        "the scales are divided out of the norm");
                assertSame(base.weights().get("model.layers.0.input_layernorm.weight"), awq.model().weights().get("model.layers.0.input_layernorm.weight"));
                assertEquals(Precision.Q4_0, awq.model().weights().get("model.layers.0.mlp.up_proj.weight").precision());
            }
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Compressor.compress(base, CompressionConfig.parse("quant=int8:awq"), m));
            assertTrue(e.getMessage().contains("calibration text"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Quantization.class, names = {"INT8", "INT4"})
    void quantizationComesAfterPruningAndKeepsItsZeros(Quantization q) {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(TinyModels.config(300), m, 3);
                CompressedModel c = Compressor.compress(base, CompressionConfig.parse("prune=0.5:magnitude,quant=" + q.id()), m)) {
            for (String name : c.model().config().projections()) {
                Weight w = c.model().weights().get(name);
                assertEquals(q.precision(), w.precision(), name);
                long zeros = 0;
                for (float v : w.floats()) {
                    zeros += v == 0f ? 1 : 0;
                }
                // a pruned zero quantizes to exactly zero (0 · d, or 8 − 8 for Q4_0); a kept weight rarely does
                assertTrue(zeros >= w.shape().size() / 2, name + ": " + zeros + " zeros of " + w.shape().size());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Quantization.class, names = {"INT8", "INT4"})
    void aMatrixWhoseRowsAreNotWholeBlocksKeepsTheBasePrecision(Quantization q) {
        // hidden 48: a row of q_proj is one and a half blocks; down_proj reads the 64 of the MLP
        LlamaConfig odd = new LlamaConfig(48, 64, 1, 4, 2, 12, 1e-5, 10000, 64, 300, true, 299, 299);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(odd, m, 4);
                CompressedModel c = Compressor.compress(base, CompressionConfig.parse("quant=" + q.id()), m)) {
            assertSame(base.weights().get("model.layers.0.self_attn.q_proj.weight"), c.model().weights().get("model.layers.0.self_attn.q_proj.weight"));
            assertEquals(q.precision(), c.model().weights().get("model.layers.0.mlp.down_proj.weight").precision(), "64 columns are two blocks");
            assertEquals(Precision.F32, c.model().weights().get("model.norm.weight").precision());
        }
    }
}
