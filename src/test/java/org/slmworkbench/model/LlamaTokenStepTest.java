package org.slmworkbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slmworkbench.TestArrays;

/** The Java one-token step of a Llama block against the multi-token pass through PyTorch. */
class LlamaTokenStepTest {
    /** Grouped-query (4 heads on 2), head_dim 64 (whole vectors), an MLP of 200 (a tail past the last vector). */
    static final LlamaConfig SHAPE = new LlamaConfig(256, 200, 2, 4, 2, 64, 1e-5, 10000, 64, 300, false, 0, 0);

    @ParameterizedTest
    @EnumSource(Precision.class)
    void decodingStepByStepMatchesTheFullPassAtEveryPosition(Precision precision) {
        try (NDManager m = NDManager.newBaseManager(); NDManager weights = m.newSubManager()) {
            RandomWeights random = new RandomWeights(weights, LlamaModel.tensorShapes(SHAPE), SHAPE.numHiddenLayers(), 5);
            // matrices held at the precision under test, as a checkpoint stored so loads them; a block type
            // quantizes the matrices whose rows are whole blocks, as compression does (down_proj's 200 stay f32)
            WeightSource source = name -> {
                Weight w = random.get(name);
                return w.shape().dimension() < 2 || !precision.fits(w.shape()) ? w : Weight.fromFloats(weights, w.shape(), precision, w.floats());
            };
            try (LlamaModel model = new LlamaModel(SHAPE, weights, source)) {
                long[] tokens = {3, 170, 42, 8, 8, 1, 299, 0, 23, 11, 5, 30, 7, 7, 150, 2, 90, 64, 12, 250};
                NDArray ids = m.create(tokens, new Shape(1, tokens.length));
                float[] full = model.forward(ids).toFloatArray();
                int vocab = SHAPE.vocabSize();
                try (KvCache cache = model.newCache(1, 32)) {
                    model.forward(ids.get(new NDIndex(":, 0:3")), cache, model.numLayers());
                    for (int i = 3; i < tokens.length; i++) {
                        float[] step = model.forward(ids.get(new NDIndex(":, {}:{}", i, i + 1)), cache, model.numLayers()).toFloatArray();
                        float[] expected = new float[vocab];
                        System.arraycopy(full, i * vocab, expected, 0, vocab);
                        double diff = TestArrays.maxAbsDiff(expected, step);
                        assertTrue(diff <= 1e-4, precision + " position " + i + ": max abs diff " + diff);
                    }
                    assertEquals(tokens.length, cache.length());
                    assertStepTakes(model, weights, cache);
                }
            }
        }
    }

    /** The comparison above is worth something only if decoding took the Java step, not PyTorch. */
    private static void assertStepTakes(LlamaModel model, NDManager m, KvCache cache) {
        Map<String, Weight> w = model.weights();
        String p = LlamaModel.layerPrefix(0);
        LlamaTokenStep step = new LlamaTokenStep(new Rope(m, 64, 64, 10000), 1e-5f, 64, new LlamaBlockWeights(w.get(p + "input_layernorm.weight"),
                w.get(p + "self_attn.q_proj.weight"), w.get(p + "self_attn.k_proj.weight"), w.get(p + "self_attn.v_proj.weight"),
                w.get(p + "self_attn.o_proj.weight"), w.get(p + "post_attention_layernorm.weight"), w.get(p + "mlp.gate_proj.weight"),
                w.get(p + "mlp.up_proj.weight"), w.get(p + "mlp.down_proj.weight")));
        NDArray token = m.zeros(new Shape(1, 1, 256));
        assertTrue(step.applies(token, cache, null));
        assertFalse(step.applies(m.zeros(new Shape(1, 2, 256)), cache, null), "several tokens go through PyTorch");
        assertFalse(step.applies(token, null, null), "a pass without a cache goes through PyTorch");
    }
}
