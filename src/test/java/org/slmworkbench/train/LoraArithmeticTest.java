package org.slmworkbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.compress.CompressedModel;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.compress.Compressor;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;

/** The operations counted for a LoRA step, by hand from a small Llama's shapes. */
class LoraArithmeticTest {
    // hidden 64, MLP 96, 3 layers, 4 heads of 16 with 2 key/value heads, vocabulary 300
    private static final LlamaConfig SHAPE = new LlamaConfig(64, 96, 3, 4, 2, 16, 1e-5, 10000, 64, 300, false, 299, 299);

    @Test
    void matricesForwardRecomputedAndBackwardPlusAttentionAndTheHead() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(SHAPE, m, 1)) {
            long perLayer = 64 * 64 + 32 * 64 + 32 * 64 + 64 * 64 + 3 * 96 * 64;
            double forward = 2.0 * 3 * perLayer + 4.0 * 10 * 64 * 3;
            double head = 4.0 * 300 * 64;
            assertEquals(3 * forward + head, LoraArithmetic.flopsPerToken(model, 10, true), 1e-6);
            assertEquals(2 * forward + head, LoraArithmetic.flopsPerToken(model, 10, false), 1e-6, "without recomputation");
            try (CompressedModel c = Compressor.compress(model, CompressionConfig.parse("prune=0.5:structured"), m)) {
                // one key/value group of two heads of 16 kept, and 48 neurons; the residual width stays 64
                long pruned = 32 * 64 + 16 * 64 + 16 * 64 + 64 * 32 + 3 * 48 * 64;
                double expected = 3 * (2.0 * 3 * pruned + 4.0 * 10 * 32 * 3) + head;
                assertEquals(expected, LoraArithmetic.flopsPerToken(c.model(), 10, true), 1e-6);
            }
        }
    }
}
