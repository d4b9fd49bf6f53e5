package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slmworkbench.compress.codec.WeightClustering;

class SnapKernelTest {
    @Test
    void snapsEveryWeightAsTheScalarSearchDoesTiesZerosAndTailIncluded() {
        Random random = new Random(3);
        for (int k : new int[] {2, 3, 16, 17, 64, 256}) {
            // not a multiple of any vector length, so the tail loop runs too
            float[] weights = new float[10_007];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = i % 7 == 0 ? (i % 14 == 0 ? 0f : -0f) : (float) random.nextGaussian() * 0.05f;
            }
            WeightClustering.Codebook codebook = WeightClustering.codebook(weights, k, 11);
            float[] e = codebook.entries();
            int offset = codebook.zeroEntries();
            // weights exactly at the midpoints' float roundings and their neighbours: where ties are decided
            for (int c = 0; c + 1 < e.length - offset; c++) {
                float mid = (float) (((double) e[offset + c] + e[offset + c + 1]) / 2);
                int at = 1 + 3 * c;
                weights[at % weights.length] = mid;
                weights[(at + 1) % weights.length] = Math.nextUp(mid);
                weights[(at + 2) % weights.length] = Math.nextDown(mid);
            }
            float[] scalar = weights.clone();
            float[] vector = weights.clone();
            WeightClustering.snap(scalar, codebook);
            SnapKernel.snap(vector, codebook);
            for (int i = 0; i < weights.length; i++) {
                assertEquals(Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(vector[i]),
                        "k=" + k + ", weight " + i + " = " + weights[i] + ": scalar " + scalar[i] + ", vector " + vector[i]);
            }
            assertTrue(Float.floatToRawIntBits(vector[9989]) == Float.floatToRawIntBits(-0f), "a -0 weight stays -0");
        }
    }

    @Test
    void allZeroTensorsStayAsTheyAre() {
        float[] weights = {0f, -0f, 0f};
        SnapKernel.snap(weights, WeightClustering.codebook(weights, 16, 1));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(weights[1]));
        assertEquals(0f, weights[0]);
    }
}
