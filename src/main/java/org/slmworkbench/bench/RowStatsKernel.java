package org.slmworkbench.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LogitRows#rowStats} of rows of logits in two sweeps a row: the largest logit and where it
 * first stands, then Z = Σ exp(x − max) and S = Σ exp(x − max)·(x − max), from which entropy =
 * ln Z − S/Z and a target's NLL = ln Z − (x_target − max). PyTorch's log-softmax, gather,
 * exponential, product, sum and arg-max sweep each row six times and write three temporaries as
 * large as the logits; at a 2,048-token vocabulary that was a sixth of a log scorer's time. Needs
 * the vector module (the caller checks {@link org.slmworkbench.model.MatVec#available}).
 */
final class RowStatsKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private RowStatsKernel() {}

    /**
     * Fills {@code out} at rows {@code first ..} from {@code logits}, rows of {@code width} floats,
     * each scored against {@code targets[first + row]}.
     */
    static void rows(float[] logits, int width, long[] targets, int first, LogitRows.Stats out) {
        int bound = F.loopBound(width);
        for (int r = 0; r * width < logits.length; r++) {
            int at = r * width;
            FloatVector top = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < bound; i += F.length()) {
                top = top.max(FloatVector.fromArray(F, logits, at + i));
            }
            float max = top.reduceLanes(VectorOperators.MAX);
            for (int i = bound; i < width; i++) {
                max = Math.max(max, logits[at + i]);
            }
            FloatVector shift = FloatVector.broadcast(F, max);
            FloatVector z = FloatVector.zero(F);
            FloatVector s = FloatVector.zero(F);
            for (int i = 0; i < bound; i += F.length()) {
                FloatVector d = FloatVector.fromArray(F, logits, at + i).sub(shift);
                FloatVector e = d.lanewise(VectorOperators.EXP);
                z = z.add(e);
                s = e.fma(d, s);
            }
            double sumExp = z.reduceLanes(VectorOperators.ADD);
            double sumExpShift = s.reduceLanes(VectorOperators.ADD);
            for (int i = bound; i < width; i++) {
                double d = logits[at + i] - max;
                double e = Math.exp(d);
                sumExp += e;
                sumExpShift += e * d;
            }
            double logZ = Math.log(sumExp);
            int row = first + r;
            out.entropy()[row] = (float) (logZ - sumExpShift / sumExp);
            out.nll()[row] = (float) (logZ - (logits[at + (int) targets[row]] - max));
            out.argmax()[row] = firstIndexOf(logits, at, width, bound, max);
        }
    }

    /** The first column of the row at {@code at} that holds {@code value}, as arg-max breaks ties; 0 if none does (a NaN row). */
    private static int firstIndexOf(float[] logits, int at, int width, int bound, float value) {
        for (int i = 0; i < bound; i += F.length()) {
            VectorMask<Float> hit = FloatVector.fromArray(F, logits, at + i).eq(value);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (int i = bound; i < width; i++) {
            if (logits[at + i] == value) {
                return i;
            }
        }
        return 0;
    }
}
