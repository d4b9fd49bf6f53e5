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
        MagnitudePruning.Global g = MagnitudePruning.global(List.copyOf(w.keySet()), visit -> w.forEach((n, a) -> visit.accept(n, a, a.length)),
                12, 0.5);
        // pruned in any order, the ties go as in tensor order
        List.of("ties", "large", "small").forEach(n -> g.prune(n, w.get(n)));
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, w.get("small"));
        assertArrayEquals(new float[] {0f, 0f, 3f, 4f}, w.get("large"));
        assertArrayEquals(new float[] {2f, 2f, 2f, 2f}, w.get("ties"));
    }

    @Test
    void globalMagnitudeOnBfloat16WeightsBuiltSideBySideCutsTiesInTensorOrder() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel f32 = TinyModels.random(TinyModels.config(300), m, 9)) {
            // 16-bit values repeat, so the threshold's value is held by many weights across tensors
            Map<String, org.slmworkbench.model.Weight> held = new java.util.HashMap<>();
            f32.weights().forEach((name, w) -> held.put(name, w.shape().dimension() == 2
                    ? org.slmworkbench.model.Weight.fromFloats(m, w.shape(), org.slmworkbench.model.Precision.BF16, w.floats()) : w));
            try (LlamaModel base = new LlamaModel(f32.config(), m.newSubManager(), held::get);
                    CompressedModel c = Compressor.compress(base, CompressionConfig.parse("prune=0.37:global-magnitude"), m)) {
                List<String> names = base.config().projections();
                // the reference: all projections end to end, a stable sort by |w|, the first k zeroed
                List<float[]> values = names.stream().map(n -> base.weights().get(n).floats()).toList();
                int total = values.stream().mapToInt(v -> v.length).sum();
                float[] all = new float[total];
                int at = 0;
                for (float[] v : values) {
                    System.arraycopy(v, 0, all, at, v.length);
                    at += v.length;
                }
                Integer[] order = new Integer[total];
                java.util.Arrays.setAll(order, i -> i);
                java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> Math.abs(all[i])));
                long k = MagnitudePruning.count(0.37, total);
                float threshold = Math.abs(all[order[(int) k - 1]]);
                int cut = 0;
                int spared = 0;
                for (int r = 0; r < total; r++) {
                    if (Math.abs(all[order[r]]) == threshold) {
                        cut += r < k ? 1 : 0;
                        spared += r < k ? 0 : 1;
                    }
                }
                assertTrue(cut > 0 && spared > 0, "the threshold's value is both cut and kept: " + cut + " / " + spared);
                for (int r = 0; r < k; r++) {
                    all[order[r]] = 0f;
                }
                at = 0;
                for (int t = 0; t < names.size(); t++) {
                    float[] expected = java.util.Arrays.copyOfRange(all, at, at + values.get(t).length);
                    at += expected.length;
                    assertArrayEquals(expected, c.model().weights().get(names.get(t)).floats(), names.get(t));
                }
            }
        }
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
