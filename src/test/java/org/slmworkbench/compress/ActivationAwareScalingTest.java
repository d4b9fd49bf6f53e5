package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slmworkbench.TaskControl;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.Precision;

class ActivationAwareScalingTest {
    @Test
    void theOutputErrorIsTheDoublePrecisionSumOverSampledRowsAndInputs() {
        Random r = new Random(7);
        int rows = 300;
        int cols = 64;
        int samples = 5;
        float[] w = new float[rows * cols];
        float[] x = new float[samples * cols];
        float[] s = new float[cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * (1 + i % 7);
        }
        for (int j = 0; j < cols; j++) {
            s[j] = 0.5f + r.nextFloat();
        }
        float[] xT = new float[x.length];
        for (int t = 0; t < samples; t++) {
            for (int j = 0; j < cols; j++) {
                xT[j * samples + t] = x[t * cols + j];
            }
        }
        // the reference: every second row (300 rows, at most 128 sampled), rounded as the copy rounds it, in double
        double expected = 0;
        float[] row = new float[cols];
        float[] back = new float[cols];
        for (int i = 0; i < rows; i += 2) {
            for (int j = 0; j < cols; j++) {
                row[j] = w[i * cols + j] * s[j];
            }
            ByteBuffer blocks = ByteBuffer.allocate(Math.toIntExact(Precision.Q4_0.bytes(cols)));
            Precision.Q4_0.quantize(row, 0, cols, blocks);
            Precision.Q4_0.dequantize(blocks.flip(), cols, FloatBuffer.wrap(back));
            for (int t = 0; t < samples; t++) {
                double e = 0;
                for (int j = 0; j < cols; j++) {
                    e += ((double) w[i * cols + j] - (double) back[j] / s[j]) * x[t * cols + j];
                }
                expected += e * e;
            }
        }
        double got = ActivationAwareScaling.error(w, cols, s, xT, samples, Precision.Q4_0);
        assertEquals(expected, got, 1e-5 * expected);
    }

    @Test
    void groupsSearchedSideBySideGetTheScalesOfASearchOnOneThread() {
        LlamaConfig c = TinyModels.config(300);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(c, m, 4)) {
            int[] tokens = new int[600];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = (int) ((i * 2654435761L) % 300);
            }
            WandaPruning.Inputs inputs = WandaPruning.inputs(model, tokens, TaskControl.none());
            ActivationAwareScaling.Scales one = ActivationAwareScaling.search(model.config(), n -> model.weights().get(n).floats(), inputs,
                    Precision.Q4_0, 1, TaskControl.none());
            ActivationAwareScaling.Scales two = ActivationAwareScaling.search(model.config(), n -> model.weights().get(n).floats(), inputs,
                    Precision.Q4_0, 2, TaskControl.none());
            assertFalse(one.columns().isEmpty());
            assertEquals(one.columns().keySet(), two.columns().keySet());
            assertEquals(one.divisors().keySet(), two.divisors().keySet());
            one.columns().forEach((name, s) -> assertArrayEquals(s, two.columns().get(name), name));
        }
    }
}
