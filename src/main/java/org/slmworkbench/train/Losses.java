package org.slmworkbench.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Next-token losses. Logits are flattened to (N, V): DJL's softmax cross-entropy fails on (B, T, V). */
public final class Losses {
    private Losses() {}

    /** Log-probabilities, shape (B·T, V). */
    public static NDArray logProbs(NDArray logits) {
        return rows(logits).logSoftmax(1);
    }

    /** Logits (…, V) as rows (B·T, V). */
    public static NDArray rows(NDArray logits) {
        long v = logits.getShape().get(logits.getShape().dimension() - 1);
        return logits.reshape(-1, v);
    }

    /** Negative log-likelihood of each target, shape (B·T), from {@link #logProbs}. */
    public static NDArray nll(NDArray logProbs, NDArray targets) {
        return logProbs.gather(targets.reshape(-1, 1), 1).reshape(-1).neg();
    }

    /** Negative log-likelihood of each target, shape (B·T). */
    public static NDArray tokenNll(NDArray logits, NDArray targets) {
        return nll(logProbs(logits), targets);
    }

    /** Entropy (nats) of each position's predicted distribution, shape (B·T), from {@link #logProbs}. */
    public static NDArray entropy(NDArray logProbs) {
        return logProbs.exp().mul(logProbs).sum(new int[] {1}).neg();
    }

    /** Mean next-token cross-entropy, a 0-d array. */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return tokenNll(logits, targets).mean();
    }

    /**
     * LayerSkip-style early-exit loss: the next-token loss at every exit, the last with weight 1 and
     * exit l of L with {@code weight · l / L} (deeper exits count more, as LayerSkip's scale grows
     * with depth), normalised by the sum of weights. The weights are arrays of the targets' (step)
     * manager: a plain Number would be a temporary that backward may read after it is freed.
     */
    public static NDArray earlyExitLoss(List<NDArray> exitLogits, NDArray targets, double weight) {
        int layers = exitLogits.size();
        NDArray total = null;
        double sum = 0;
        for (int l = 1; l <= layers; l++) {
            double w = l == layers ? 1 : weight * l / layers;
            NDArray term = crossEntropy(exitLogits.get(l - 1), targets).mul(targets.getManager().create((float) w));
            total = total == null ? term : total.add(term);
            sum += w;
        }
        return total.div(targets.getManager().create((float) sum));
    }
}
