package org.slmworkbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.slmworkbench.TestArrays;

class LlamaModelTest {
    static final LlamaConfig GQA = new LlamaConfig(48, 72, 3, 6, 2, 8, 1e-5, 10000, 64, 50, false, 0, 0);

    static LlamaModel random(LlamaConfig c, NDManager m, long seed) {
        return new LlamaModel(c, m, new RandomWeights(m, LlamaModel.tensorShapes(c), c.numHiddenLayers(), seed));
    }

    @Test
    void kvCacheDecodingMatchesFullForward() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = random(GQA, m.newSubManager(), 7)) {
            long[] tokens = {3, 17, 42, 8, 8, 1, 49, 0, 23, 11, 5, 30};
            NDArray ids = m.create(tokens, new Shape(1, tokens.length));
            float[] full = model.forward(ids).toFloatArray();

            try (KvCache cache = model.newCache(1, 64)) {
                // a prefill of 5 then one token at a time
                NDArray first = model.forward(ids.get(new NDIndex(":, 0:5")), cache, model.numLayers());
                float[] incremental = new float[full.length];
                System.arraycopy(first.toFloatArray(), 0, incremental, 0, 5 * GQA.vocabSize());
                for (int i = 5; i < tokens.length; i++) {
                    NDArray step = model.forward(ids.get(new NDIndex(":, {}:{}", i, i + 1)), cache, model.numLayers());
                    System.arraycopy(step.toFloatArray(), 0, incremental, i * GQA.vocabSize(), GQA.vocabSize());
                }
                assertEquals(tokens.length, cache.length());
                double maxDiff = TestArrays.maxAbsDiff(full, incremental);
                assertTrue(maxDiff <= 1e-4, "max abs diff " + maxDiff);
            }
        }
    }

    @Test
    void logitsHaveVocabularyShapeAndDependOnContext() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = random(GQA, m.newSubManager(), 7)) {
            NDArray a = model.forward(m.create(new long[] {1, 2, 3}, new Shape(1, 3)));
            NDArray b = model.forward(m.create(new long[] {9, 2, 3}, new Shape(1, 3)));
            assertEquals(new Shape(1, 3, 50), a.getShape());
            float[] la = a.get(new NDIndex(":, 2, :")).toFloatArray();
            float[] lb = b.get(new NDIndex(":, 2, :")).toFloatArray();
            assertTrue(TestArrays.maxAbsDiff(la, lb) > 1e-6, "the last position must see the first token");
            // causality: changing a later token does not change earlier logits
            NDArray c = model.forward(m.create(new long[] {1, 2, 7}, new Shape(1, 3)));
            assertArrayEquals(a.get(new NDIndex(":, 0:2, :")).toFloatArray(), c.get(new NDIndex(":, 0:2, :")).toFloatArray(), 1e-6f);
        }
    }
}
