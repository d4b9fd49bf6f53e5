package org.slmworkbench.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.slmworkbench.model.CausalLm;

/**
 * Per-token negative log-likelihood, excess surprise and top-1 hit for a token stream, computed in
 * windows of the model's context (at most {@link #MAX_WINDOW} tokens) that overlap by half, so every
 * token after the first window is predicted with at least half a window before it. Windows are
 * batched only as far as {@link #LOGIT_BUDGET} allows, so a 2,048-token context and a 32,000-token
 * vocabulary do not ask for gigabytes of logits and attention scores at once.
 *
 * <p>Excess surprise is the NLL minus the entropy of the predicted distribution: a random id the
 * model could not know scores near zero, a token the model was confident against scores high.
 */
public final class TokenStats {
    /** How well token i was predicted, and the model's top-1 guess there; token 0 has no prediction (NaN, -1). */
    public record Result(float[] nll, float[] excess, boolean[] hit, int[] expected) {}

    static final int MAX_WINDOW = 512;
    /**
     * Logits held at once, in floats (128 MB): one 512-token window at the seed's vocabularies
     * (32,000 and 49,152), several of a small model's.
     */
    static final long LOGIT_BUDGET = 32L << 20;

    private TokenStats() {}

    public static Result of(CausalLm model, int[] tokens, int context, int batch) {
        int n = tokens.length;
        float[] nll = new float[n];
        float[] excess = new float[n];
        boolean[] hit = new boolean[n];
        int[] expected = new int[n];
        java.util.Arrays.fill(nll, Float.NaN);
        java.util.Arrays.fill(excess, Float.NaN);
        java.util.Arrays.fill(expected, -1);
        if (n < 2) {
            return new Result(nll, excess, hit, expected);
        }
        int window = Math.min(Math.min(context, MAX_WINDOW), n - 1);
        batch = (int) Math.max(1, Math.min(batch, LOGIT_BUDGET / ((long) window * model.vocabSize())));
        int stride = Math.max(1, window / 2);
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        for (int s = 0; ; s += stride) {
            int start = Math.min(s, n - 1 - window);
            starts.add(start);
            if (start + window >= n - 1) {
                break;
            }
        }
        for (int i = 0; i < starts.size(); i += batch) {
            int count = Math.min(batch, starts.size() - i);
            long[] x = new long[count * window];
            long[] y = new long[count * window];
            for (int b = 0; b < count; b++) {
                int s = starts.get(i + b);
                for (int t = 0; t < window; t++) {
                    x[b * window + t] = tokens[s + t];
                    y[b * window + t] = tokens[s + t + 1];
                }
            }
            try (NDManager m = model.manager().newSubManager()) {
                NDArray ids = m.create(x, new Shape(count, window));
                NDArray targets = m.create(y, new Shape(count, window));
                LogitRows.Stats stats = LogitRows.stats(model.forward(ids), targets);
                float[] losses = stats.nll();
                float[] entropy = stats.entropy();
                long[] argmax = stats.argmax();
                for (int b = 0; b < count; b++) {
                    int s = starts.get(i + b);
                    // later windows only own the tokens past the previous window's end
                    int firstOwned = i + b == 0 ? 0 : Math.max(0, starts.get(i + b - 1) + window - s);
                    for (int t = firstOwned; t < window; t++) {
                        int target = s + t + 1;
                        nll[target] = losses[b * window + t];
                        excess[target] = losses[b * window + t] - entropy[b * window + t];
                        hit[target] = argmax[b * window + t] == y[b * window + t];
                        expected[target] = (int) argmax[b * window + t];
                    }
                }
            }
        }
        return new Result(nll, excess, hit, expected);
    }
}
