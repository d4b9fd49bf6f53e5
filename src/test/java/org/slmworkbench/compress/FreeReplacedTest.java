package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.Weight;

/** A job that keeps only the compressed copy frees the base's replaced tensors, and the copy computes as before. */
class FreeReplacedTest {
    private static final LlamaConfig SHAPE = new LlamaConfig(64, 96, 3, 4, 2, 16, 1e-5, 10000, 64, 300, false, 299, 299);

    @Test
    void theReplacedTensorsOfTheBaseAreFreedAndTheSharedOnesStayInUse() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(SHAPE, m, 4)) {
            long[] ids = new Random(5).longs(20, 0, SHAPE.vocabSize()).toArray();
            try (CompressedModel c = Compressor.compress(base, CompressionConfig.parse("prune=0.5:magnitude,exit=2"), m)) {
                float[] before = c.model().forward(m.create(ids, new Shape(1, ids.length))).toFloatArray();
                Map<String, Weight> own = Compressor.ownTensors(c.model(), base);
                Map<String, Weight> baseWeights = Map.copyOf(base.weights());
                c.freeReplacedIn(base);
                baseWeights.forEach((name, w) -> {
                    Weight kept = c.model().weights().get(name);
                    boolean replaced = kept == null || own.containsKey(name);
                    assertTrue(w.storage().isReleased() == replaced, name + (replaced ? " is freed" : " stays, shared with the copy"));
                });
                assertTrue(baseWeights.containsKey("model.layers.2.mlp.up_proj.weight") && baseWeights.get("model.layers.2.mlp.up_proj.weight").storage().isReleased(),
                        "a layer past the exit is freed");
                assertFalse(baseWeights.get("model.embed_tokens.weight").storage().isReleased(), "the embedding is shared");
                float[] after = c.model().forward(m.create(ids, new Shape(1, ids.length))).toFloatArray();
                assertArrayEquals(before, after, 0f);
            }
        }
    }
}
