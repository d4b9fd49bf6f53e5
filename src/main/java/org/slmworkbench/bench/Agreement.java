package org.slmworkbench.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.train.Losses;

/**
 * How closely a compressed model follows its base on the same text: the share of positions where
 * both pick the same top-1 token, and the mean KL divergence KL(base ‖ compressed) in nats.
 */
public final class Agreement {
    private static final int BATCH = 8;

    private Agreement() {}

    /**
     * {top-1 agreement, mean KL} over non-overlapping windows of {@code tokens}, at most
     * {@link TokenStats#MAX_WINDOW} long and batched within {@link TokenStats#LOGIT_BUDGET}, whatever
     * context the model claims.
     */
    public static double[] of(CausalLm base, CausalLm compressed, int[] tokens, int context) {
        int window = Math.min(Math.min(context, TokenStats.MAX_WINDOW), tokens.length);
        int batch = (int) Math.max(1, Math.min(BATCH, TokenStats.LOGIT_BUDGET / ((long) window * base.vocabSize())));
        long same = 0;
        long positions = 0;
        double kl = 0;
        for (int start = 0; start + window <= tokens.length; start += window * batch) {
            int count = Math.min(batch, (tokens.length - start) / window);
            long[] x = new long[count * window];
            for (int i = 0; i < x.length; i++) {
                x[i] = tokens[start + i];
            }
            try (NDManager m = base.manager().newSubManager()) {
                NDArray ids = m.create(x, new Shape(count, window));
                long[] agreeing = new long[1];
                double[] klSum = new double[1];
                LogitRows.bySlabs((first, s) -> {
                    long[] topP = s[0].argMax(1).toLongArray();
                    long[] topQ = s[1].argMax(1).toLongArray();
                    for (int i = 0; i < topP.length; i++) {
                        agreeing[0] += topP[i] == topQ[i] ? 1 : 0;
                    }
                    NDArray p = Losses.logProbs(s[0]);
                    klSum[0] += p.exp().mul(p.sub(Losses.logProbs(s[1]))).sum().getFloat();
                }, Losses.rows(base.forward(ids)), Losses.rows(compressed.forward(ids)));
                same += agreeing[0];
                kl += klSum[0];
                positions += (long) count * window;
            }
        }
        return new double[] {(double) same / positions, kl / positions};
    }
}
