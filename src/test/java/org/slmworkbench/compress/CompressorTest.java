package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaModel;

class CompressorTest {
    @Test
    void magnitudePruningRemovesExactlyTheSmallestWeightsPerTensor() {
        float[] a = {0.5f, -0.1f, 0.3f, -0.7f, 0.2f, 0.05f, -0.4f, 0.6f, 0.01f, -0.9f};
        float[] b = {1f, 1f, 1f, 1f};
        MagnitudePruning.perTensor(a, 0.3);
        MagnitudePruning.perTensor(b, 0.3);
        assertArrayEquals(new float[] {0.5f, 0f, 0.3f, -0.7f, 0.2f, 0f, -0.4f, 0.6f, 0f, -0.9f}, a);
        // ties are cut in index order so exactly floor(0.3 * 4) = 1 goes
        assertArrayEquals(new float[] {0f, 1f, 1f, 1f}, b);
        assertEquals(29, MagnitudePruning.count(0.29, 100));
    }

    @Test
    void globalMagnitudeUsesOneThresholdAcrossTensors() {
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put("small", new float[] {0.1f, 0.2f, 0.3f, 0.4f});
        w.put("large", new float[] {1f, 2f, 3f, 4f});
        w.put("ties", new float[] {2f, 2f, 2f, 2f});
        // 6 of 12 go: the five below 2, then one of the five 2s, the first in tensor and index order
        MagnitudePruning.Global g = MagnitudePruning.global(visit -> w.values().forEach(a -> visit.accept(a, a.length)), 12, 0.5);
        w.values().forEach(g::prune);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, w.get("small"));
        assertArrayEquals(new float[] {0f, 0f, 3f, 4f}, w.get("large"));
        assertArrayEquals(new float[] {2f, 2f, 2f, 2f}, w.get("ties"));
    }

    @Test
    void compressingACopyLeavesTheBaseIntact() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(TinyModels.config(300), m, 3)) {
            Map<String, float[]> before = new LinkedHashMap<>();
            base.parameters().forEach((k, p) -> before.put(k, p.getArray().toFloatArray()));
            try (CompressedModel c = Compressor.compress(base, CompressionConfig.parse("prune=0.5:magnitude"), m)) {
                List<String> projections = c.model().config().projections();
                c.model().parameters().forEach((k, p) -> {
                    float[] v = p.getArray().toFloatArray();
                    long zeros = 0;
                    for (float x : v) {
                        zeros += x == 0f ? 1 : 0;
                    }
                    if (projections.contains(k)) {
                        assertEquals(v.length / 2, zeros, k);
                    } else {
                        assertArrayEquals(before.get(k), v, 0f, k);
                    }
                });
            }
            base.parameters().forEach((k, p) -> assertArrayEquals(before.get(k), p.getArray().toFloatArray(), 0f, k));
        }
    }

    @Test
    void sharingAfterPruningKeepsTheZerosAndAtMostKValuesPerMatrix() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(TinyModels.config(300), m, 3);
                CompressedModel c = Compressor.compress(base, CompressionConfig.parse("prune=0.5:magnitude,share=16"), m)) {
            List<String> projections = c.model().config().projections();
            c.model().parameters().forEach((k, p) -> {
                float[] v = p.getArray().toFloatArray();
                java.util.Set<Float> distinct = new java.util.HashSet<>();
                long zeros = 0;
                for (float x : v) {
                    distinct.add(x);
                    zeros += x == 0f ? 1 : 0;
                }
                if (p.getArray().getShape().dimension() == 2) {
                    assertTrue(distinct.size() <= 16, k + " has " + distinct.size() + " values");
                }
                if (projections.contains(k)) {
                    assertEquals(v.length / 2, zeros, k);
                }
            });
        }
    }

    @Test
    void aStaticExitIsASmallerModelWithTheSameLogitsAsStoppingEarly() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(TinyModels.config(300), m, 3);
                CompressedModel c = Compressor.compress(base, CompressionConfig.parse("exit=1"), m)) {
            assertEquals(1, c.model().numLayers());
            assertTrue(c.model().parameterCount() < base.parameterCount());
            long[] ids = {4, 8, 15, 16, 23, 42};
            float[] early = base.forward(m.create(ids, new Shape(1, 6)), null, 1).toFloatArray();
            float[] cut = c.model().forward(m.create(ids, new Shape(1, 6))).toFloatArray();
            assertArrayEquals(early, cut, 0f);
        }
    }
}
