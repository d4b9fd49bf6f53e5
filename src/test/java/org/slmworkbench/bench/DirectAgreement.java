package org.slmworkbench.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.slmworkbench.model.CausalLm;

/**
 * A plain reference for top-1 agreement and KL(base ‖ copy): both models run on one window, and
 * softmax, argmax and the divergence are computed here in double precision from their logits.
 */
final class DirectAgreement {
    private DirectAgreement() {}

    /** {agreeing positions, KL summed in nats} at positions {@code from ..} of the window {@code tokens[start, start + window)}. */
    static double[] window(CausalLm base, CausalLm copy, int[] tokens, int start, int window, int from) {
        try (NDManager m = base.manager().newSubManager()) {
            long[] x = new long[window];
            for (int t = 0; t < window; t++) {
                x[t] = tokens[start + t];
            }
            NDArray ids = m.create(x, new Shape(1, window));
            float[] p = base.forward(ids).toFloatArray();
            float[] q = copy.forward(ids).toFloatArray();
            int v = base.vocabSize();
            double same = 0;
            double kl = 0;
            for (int t = from; t < window; t++) {
                double[] lp = logSoftmax(p, t * v, v);
                double[] lq = logSoftmax(q, t * v, v);
                same += argmax(lp) == argmax(lq) ? 1 : 0;
                for (int i = 0; i < v; i++) {
                    kl += Math.exp(lp[i]) * (lp[i] - lq[i]);
                }
            }
            return new double[] {same, kl};
        }
    }

    private static double[] logSoftmax(float[] logits, int at, int v) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            max = Math.max(max, logits[at + i]);
        }
        double sum = 0;
        for (int i = 0; i < v; i++) {
            sum += Math.exp(logits[at + i] - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[v];
        for (int i = 0; i < v; i++) {
            out[i] = logits[at + i] - log;
        }
        return out;
    }

    private static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
