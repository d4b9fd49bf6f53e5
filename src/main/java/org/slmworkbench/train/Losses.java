package org.slmworkbench.train;

import ai.djl.ndarray.NDArray;

/** Next-token losses. Logits are flattened to (N, V): DJL's softmax cross-entropy fails on (B, T, V). */
public final class Losses {
    private Losses() {}

    /** Log-probabilities, shape (B·T, V). */
    public static NDArray logProbs(NDArray logits) {
        long v = logits.getShape().get(logits.getShape().dimension() - 1);
        return logits.reshape(-1, v).logSoftmax(1);
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
}
