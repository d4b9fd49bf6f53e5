package org.slmworkbench.train;

import ai.djl.ndarray.NDArray;

/** Next-token losses. Logits are flattened to (N, V): DJL's softmax cross-entropy fails on (B, T, V). */
public final class Losses {
    private Losses() {}

    /** Negative log-likelihood of each target, shape (B·T). */
    public static NDArray tokenNll(NDArray logits, NDArray targets) {
        long v = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray logProbs = logits.reshape(-1, v).logSoftmax(1);
        return logProbs.gather(targets.reshape(-1, 1), 1).reshape(-1).neg();
    }

    /** Entropy (nats) of each position's predicted distribution, shape (B·T). */
    public static NDArray entropy(NDArray logits) {
        long v = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray logProbs = logits.reshape(-1, v).logSoftmax(1);
        return logProbs.exp().mul(logProbs).sum(new int[] {1}).neg();
    }

    /** Mean next-token cross-entropy, a 0-d array. */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return tokenNll(logits, targets).mean();
    }
}
