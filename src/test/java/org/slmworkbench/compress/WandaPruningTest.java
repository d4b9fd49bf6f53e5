package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slmworkbench.TaskControl;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

class WandaPruningTest {
    @Test
    void aSmallWeightOnALoudFeatureOutlivesALargeWeightOnAQuietOne() {
        // two rows of three inputs; feature 0 is loud, feature 2 is nearly silent
        float[] w = {0.1f, 0.5f, 0.9f, -0.2f, 0.3f, -0.8f};
        float[] byMagnitude = w.clone();
        MagnitudePruning.perTensor(byMagnitude, 0.34);
        WandaPruning.prune(w, new double[] {100, 1, 0.01}, 0.34);
        // magnitude drops the two smallest weights; Wanda drops, per row, the one on the silent feature
        assertArrayEquals(new float[] {0f, 0.5f, 0.9f, 0f, 0.3f, -0.8f}, byMagnitude);
        assertArrayEquals(new float[] {0.1f, 0.5f, 0f, -0.2f, 0.3f, 0f}, w);
    }

    @Test
    void calibratedPruningRemovesTheRatioFromEveryRowAndNeedsText() {
        ByteBpeTokenizer tok = TinyModels.tokenizer();
        int[] calibration = tok.encode(TinyModels.logText(200));
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(TinyModels.config(tok.vocabSize()), m, 4)) {
            Map<String, double[]> norms = WandaPruning.inputNorms(base, calibration, TaskControl.none());
            assertEquals(32, norms.get("model.layers.0.self_attn.q_proj.weight").length);
            assertEquals(64, norms.get("model.layers.1.mlp.down_proj.weight").length);
            assertTrue(norms.values().stream().allMatch(n -> java.util.Arrays.stream(n).allMatch(x -> x > 0)));
            try (CompressedModel c = Compressor.compress(base, CompressionConfig.parse("prune=0.5:wanda"), m, calibration)) {
                float[] down = c.model().parameters().get("model.layers.1.mlp.down_proj.weight").getArray().toFloatArray();
                for (int row = 0; row < 32; row++) {
                    int zeros = 0;
                    for (int j = 0; j < 64; j++) {
                        zeros += down[row * 64 + j] == 0f ? 1 : 0;
                    }
                    assertEquals(32, zeros, "row " + row);
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Compressor.compress(base, CompressionConfig.parse("prune=0.5:wanda"), m));
            assertTrue(e.getMessage().contains("calibration"), e.getMessage());
        }
    }

    @Test
    void theVectorKernelZeroesExactlyWhatTheScalarPassZeroes() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        // widths with and without a vector tail; weights with zeros and repeated values, so rows have ties
        for (int in : new int[] {2048, 1000, 37}) {
            int rows = 40;
            float[] w = new float[rows * in];
            for (int i = 0; i < w.length; i++) {
                int kind = r.nextInt(10);
                w[i] = kind == 0 ? 0f : kind == 1 ? 0.5f : (float) r.nextGaussian();
            }
            float[] norm = new float[in];
            for (int j = 0; j < in; j++) {
                norm[j] = j % 7 == 0 ? 1f : (float) (Math.abs(r.nextGaussian()) + 0.01);
            }
            for (int k : new int[] {1, in / 2, in - 1, in}) {
                float[] scalar = w.clone();
                float[] vector = w.clone();
                WandaPruning.pruneScalar(scalar, norm, k);
                WandaKernel.prune(vector, norm, k);
                assertArrayEquals(scalar, vector, "in = " + in + ", k = " + k);
                for (int row = 0; row < rows; row++) {
                    int zeros = 0;
                    for (int j = 0; j < in; j++) {
                        zeros += vector[row * in + j] == 0f ? 1 : 0;
                    }
                    int had = 0;
                    for (int j = 0; j < in; j++) {
                        had += w[row * in + j] == 0f ? 1 : 0;
                    }
                    assertEquals(Math.max(k, had), zeros, "row " + row + ", in = " + in + ", k = " + k);
                }
            }
        }
    }
}
