package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.Weight;

/** A copy made for a caller that keeps only it frees the base's replaced tensors, and computes what a plain copy does. */
class FreeReplacedTest {
    private static final LlamaConfig SHAPE = new LlamaConfig(64, 96, 3, 4, 2, 16, 1e-5, 10000, 64, 300, false, 299, 299);

    @ParameterizedTest
    @ValueSource(strings = {"prune=0.5:magnitude,exit=2", "quant=int8", "prune=0.5:structured"})
    void theReplacedTensorsOfTheBaseAreFreedAndTheSharedOnesStayInUse(String setting) {
        CompressionConfig config = CompressionConfig.parse(setting);
        long[] ids = new Random(5).longs(20, 0, SHAPE.vocabSize()).toArray();
        try (NDManager m = NDManager.newBaseManager(); LlamaModel reference = TinyModels.random(SHAPE, m, 4);
                LlamaModel base = TinyModels.random(SHAPE, m, 4);
                CompressedModel plain = Compressor.compress(reference, config, m);
                CompressedModel replacing = Compressor.compressReplacing(base, config, m, null)) {
            Map<String, Weight> own = Compressor.ownTensors(plain.model(), reference);
            base.weights().forEach((name, w) -> {
                boolean replaced = !plain.model().weights().containsKey(name) || own.containsKey(name);
                assertEquals(replaced, w.storage().isReleased(), name + (replaced ? " is freed" : " stays, shared with the copy"));
            });
            float[] expected = plain.model().forward(m.create(ids, new Shape(1, ids.length))).toFloatArray();
            float[] actual = replacing.model().forward(m.create(ids, new Shape(1, ids.length))).toFloatArray();
            assertArrayEquals(expected, actual, 0f);
        }
    }
}
