package org.slmworkbench.compress;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.slmworkbench.compress.codec.WeightClustering;

/**
 * {@link WeightClustering#snap} on vectors: each lane walks the midpoints between neighbouring
 * centroids in ascending order and takes the upper centroid past every midpoint strictly below its
 * weight, which is the scalar binary search's answer (a weight exactly midway keeps the lower one)
 * without a gather. At k = 16 that is 15 compares and blends per vector of weights, 3 to 4 times
 * faster than the scalar search on a 5632 × 2048 matrix, which was the largest part of sharing. It touches
 * {@code jdk.incubator.vector}, so it is used only when that module is present.
 */
final class SnapKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SnapKernel() {}

    /** As {@link WeightClustering#snap}: every non-zero weight becomes its nearest entry, zeros (±0) stay. */
    static void snap(float[] weights, WeightClustering.Codebook codebook) {
        float[] e = codebook.entries();
        int offset = codebook.zeroEntries();
        int centroids = e.length - offset;
        if (centroids == 0) {
            return; // all zeros
        }
        // For a float w, "midpoint < w" in double (as the scalar search compares) is "w > m" for the
        // float midpoint m rounded down: the next float below the rounded midpoint when it rounded up.
        float[] midpoints = new float[centroids - 1];
        for (int c = 0; c < midpoints.length; c++) {
            double exact = ((double) e[offset + c] + e[offset + c + 1]) / 2;
            float rounded = (float) exact;
            midpoints[c] = rounded > exact ? Math.nextDown(rounded) : rounded;
        }
        int i = 0;
        for (int end = SPECIES.loopBound(weights.length); i < end; i += SPECIES.length()) {
            FloatVector w = FloatVector.fromArray(SPECIES, weights, i);
            FloatVector snapped = FloatVector.broadcast(SPECIES, e[offset]);
            for (int c = 0; c < midpoints.length; c++) {
                VectorMask<Float> above = w.compare(VectorOperators.GT, midpoints[c]);
                snapped = snapped.blend(e[offset + c + 1], above);
            }
            snapped.blend(w, w.compare(VectorOperators.EQ, 0f)).intoArray(weights, i);
        }
        for (; i < weights.length; i++) {
            float w = weights[i];
            if (w != 0) {
                int c = 0;
                while (c < midpoints.length && w > midpoints[c]) {
                    c++;
                }
                weights[i] = e[offset + c];
            }
        }
    }
}
