package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slmworkbench.TaskControl;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;
import org.slmworkbench.train.TokenWindows;
import org.slmworkbench.train.TrainConfig;
import org.slmworkbench.train.Trainer;

class WeightConstraintsTest {
    static final ByteBpeTokenizer TOK = TinyModels.tokenizer();
    static final LlamaConfig C = TinyModels.config(TOK.vocabSize());
    static final TokenWindows DATA = new TokenWindows(TOK.encode(TinyModels.logText(300)), 32);
    static final CompressionConfig PRUNED_SHARED = CompressionConfig.parse("prune=0.5:magnitude,share=16");

    static TrainConfig config(int steps) {
        return new TrainConfig(steps, 4, 32, 3e-3, 3e-4, 2, 0.1, 1.0, 11, 1000, 8, 0, 0);
    }

    @Test
    void fineTuningKeepsPrunedZerosAndSharedClustersWhileTheLossFalls() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(C, m, 1)) {
            // a base that has learned something, so compression costs loss that fine-tuning can recover
            new Trainer(base, config(40), DATA, null).run(p -> { }, TaskControl.none(), null);
            try (CompressedModel c = Compressor.compress(base, PRUNED_SHARED, m);
                    WeightConstraints constraints = WeightConstraints.of(c.model(), PRUNED_SHARED)) {
                assertEquals(0, constraints.maskedTensors(), "shared tensors keep their zeros as a cluster");
                assertEquals(15, constraints.sharedTensors(), "embeddings and 2 x 7 projections");
                Map<String, float[]> before = weights(c.model());
                Trainer recovery = new Trainer(c.model(), config(30), DATA, null, constraints::apply);
                double lossBefore = recovery.evaluate(DATA, 16);
                recovery.run(p -> { }, TaskControl.none(), null);
                double lossAfter = recovery.evaluate(DATA, 16);
                assertTrue(lossAfter < lossBefore - 0.2, "loss " + lossBefore + " -> " + lossAfter);
                assertKeptCompression(before, weights(c.model()), c.model());
            }
        }
    }

    /** Zeros stay zero, weights equal before stay equal (clusters stay shared), at most 16 values, and the values learned. */
    private static void assertKeptCompression(Map<String, float[]> before, Map<String, float[]> after, CausalLm model) {
        int changed = 0;
        for (String name : before.keySet()) {
            if (model.parameters().get(name).getArray().getShape().dimension() != 2) {
                continue;
            }
            float[] w0 = before.get(name);
            float[] w1 = after.get(name);
            Map<Float, Float> cluster = new HashMap<>();
            for (int i = 0; i < w0.length; i++) {
                if (w0[i] == 0f) {
                    assertEquals(0f, w1[i], 0f, name + "[" + i + "] was pruned");
                }
                Float same = cluster.putIfAbsent(w0[i], w1[i]);
                assertTrue(same == null || same == w1[i], name + "[" + i + "] left its cluster");
                changed += w0[i] != w1[i] ? 1 : 0;
            }
            assertTrue(distinct(w1) <= 16, name + " has " + distinct(w1) + " values");
        }
        assertTrue(changed > 10_000, "the cluster values learned: " + changed + " weights moved");
    }

    @Test
    void eachClusterBecomesTheMeanOfItsWeightsAndZerosStayZero() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(C, m, 2);
                CompressedModel c = Compressor.compress(base, PRUNED_SHARED, m);
                WeightConstraints constraints = WeightConstraints.of(c.model(), PRUNED_SHARED)) {
            String name = "model.layers.1.mlp.down_proj.weight";
            NDArray w = c.model().parameters().get(name).getArray();
            float[] clustered = w.toFloatArray();
            float[] moved = clustered.clone();
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < moved.length; i++) {
                moved[i] += (float) r.nextGaussian() * 0.01f;
            }
            w.set(moved);
            constraints.apply(c.model());
            float[] got = w.toFloatArray();
            Map<Float, double[]> sumAndCount = new HashMap<>();
            for (int i = 0; i < clustered.length; i++) {
                double[] s = sumAndCount.computeIfAbsent(clustered[i], k -> new double[2]);
                s[0] += moved[i];
                s[1]++;
            }
            for (int i = 0; i < got.length; i++) {
                double[] s = sumAndCount.get(clustered[i]);
                float expected = clustered[i] == 0f ? 0f : (float) (s[0] / s[1]);
                assertEquals(expected, got[i], 1e-6f, "weight " + i);
            }
        }
    }

    @Test
    void prunedOnlyTensorsKeepTheirZerosThroughTrainingWhileTheRestLearns() {
        CompressionConfig pruned = CompressionConfig.parse("prune=0.5:magnitude");
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(C, m, 2);
                CompressedModel c = Compressor.compress(base, pruned, m);
                WeightConstraints constraints = WeightConstraints.of(c.model(), pruned)) {
            assertEquals(14, constraints.maskedTensors());
            assertEquals(0, constraints.sharedTensors());
            Map<String, float[]> before = weights(c.model());
            new Trainer(c.model(), config(5), DATA, null, constraints::apply).run(p -> { }, TaskControl.none(), null);
            Map<String, float[]> after = weights(c.model());
            List<String> projections = c.model().config().projections();
            before.forEach((name, w0) -> {
                float[] w1 = after.get(name);
                int kept = 0;
                int moved = 0;
                for (int i = 0; i < w0.length; i++) {
                    if (w0[i] == 0f && projections.contains(name)) {
                        assertEquals(0f, w1[i], 0f, name + "[" + i + "] was pruned");
                    } else {
                        kept++;
                        moved += w0[i] != w1[i] ? 1 : 0;
                    }
                }
                assertTrue(moved > kept * 0.9, name + ": " + moved + " of " + kept + " free weights moved");
            });
        }
    }

    /** The window fine-tunes on its own thread, where PyTorch's per-thread grad mode starts on. */
    @Test
    void constraintsApplyOnAFreshThread() throws Exception {
        CompressionConfig pruned = CompressionConfig.parse("prune=0.5:magnitude");
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(C, m, 2);
                    CompressedModel c = Compressor.compress(base, pruned, m);
                    WeightConstraints constraints = WeightConstraints.of(c.model(), pruned)) {
                new Trainer(c.model(), config(2), DATA, null, constraints::apply).run(p -> { }, TaskControl.none(), null);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        assertEquals(null, failure.get());
    }

    @Test
    void applyingRightAfterCompressionChangesNothing() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(C, m, 4);
                CompressedModel c = Compressor.compress(base, PRUNED_SHARED, m);
                WeightConstraints constraints = WeightConstraints.of(c.model(), PRUNED_SHARED)) {
            Map<String, float[]> before = weights(c.model());
            constraints.apply(c.model());
            Map<String, float[]> after = weights(c.model());
            before.forEach((k, v) -> assertArrayEquals(v, after.get(k), 0f, k));
        }
    }

    @Test
    void shapesOnlyCompressionNeedsNoConstraintsAndAnUnsharedModelIsRefused() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(C, m, 4)) {
            try (WeightConstraints none = WeightConstraints.of(base, CompressionConfig.parse("prune=0.5:structured,exit=1"))) {
                assertTrue(none.isEmpty());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WeightConstraints.of(base, CompressionConfig.parse("share=16")));
            assertTrue(e.getMessage().contains("model.embed_tokens.weight") && e.getMessage().contains("not weight-shared"), e.getMessage());
        }
    }

    private static int distinct(float[] w) {
        Set<Float> values = new HashSet<>();
        for (float x : w) {
            values.add(x == 0f ? 0f : x);
        }
        return values.size();
    }

    private static Map<String, float[]> weights(CausalLm model) {
        Map<String, float[]> w = new LinkedHashMap<>();
        model.parameters().forEach((k, p) -> w.put(k, p.getArray().toFloatArray()));
        return w;
    }
}
