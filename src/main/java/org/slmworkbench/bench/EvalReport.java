package org.slmworkbench.bench;

/** Held-out quality and speed of one model on one dataset. */
public record EvalReport(
        double heldoutLoss,
        double nextTokenAccuracy,
        long evalTokens,
        double evalTokensPerSecond,
        double decodeTokensPerSecond,
        double decodeMsPerTokenP50,
        int threads) {

    public double perplexity() {
        return Math.exp(heldoutLoss);
    }
}
