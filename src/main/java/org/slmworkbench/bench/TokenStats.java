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

    /**
     * One batch of windows as scored: the ids and targets of {@code starts.length} windows of
     * {@code window} tokens, row-major, and the first position each window owns (a later window
     * only owns the tokens past the previous one's end); {@code y} holds the targets as ids, and
     * {@code firstRow} is the batch's first row among the rows of every window.
     */
    record Pass(int firstRow, int window, int[] starts, int[] firstOwned, NDArray ids, NDArray targets, long[] y) {
        /** The token that row {@code row} of this batch predicts, or -1 when its window does not own it. */
        int target(int row) {
            int b = row / window;
            int t = row % window;
            return t < firstOwned[b] ? -1 : starts[b] + t + 1;
        }
    }

    public static Result of(CausalLm model, int[] tokens, int context, int batch) {
        int n = tokens.length;
        float[] nll = new float[n];
        float[] excess = new float[n];
        boolean[] hit = new boolean[n];
        int[] expected = new int[n];
        java.util.Arrays.fill(nll, Float.NaN);
        java.util.Arrays.fill(excess, Float.NaN);
        java.util.Arrays.fill(expected, -1);
        forEachPass(model, tokens, context, batch, pass -> {
            LogitRows.Stats stats = LogitRows.stats(model.forward(pass.ids()), pass.targets());
            for (int row = 0; row < stats.nll().length; row++) {
                int target = pass.target(row);
                if (target < 0) {
                    continue;
                }
                nll[target] = stats.nll()[row];
                excess[target] = stats.nll()[row] - stats.entropy()[row];
                hit[target] = stats.argmax()[row] == pass.y()[row];
                expected[target] = (int) stats.argmax()[row];
            }
        });
        return new Result(nll, excess, hit, expected);
    }

    /**
     * {@link #of}'s figures for the tokens past the first window (those in it are NaN, -1, false),
     * reading only the windows after it: for a caller that reads the first window with other text.
     */
    public static Result pastFirstWindow(CausalLm model, int[] tokens, int context, int batch) {
        int n = tokens.length;
        int window = window(n, context);
        java.util.List<Integer> starts = starts(n, window);
        Result all = new Result(new float[n], new float[n], new boolean[n], new int[n]);
        java.util.Arrays.fill(all.nll(), Float.NaN);
        java.util.Arrays.fill(all.excess(), Float.NaN);
        java.util.Arrays.fill(all.expected(), -1);
        if (starts.size() < 2) {
            return all;
        }
        // the windows from the second start on are those of the tokens from there, shifted by it
        int from = starts.get(1);
        Result later = of(model, java.util.Arrays.copyOfRange(tokens, from, n), context, batch);
        int owned = window + 1 - from; // the first token past the first window, in later's indices
        System.arraycopy(later.nll(), owned, all.nll(), window + 1, n - window - 1);
        System.arraycopy(later.excess(), owned, all.excess(), window + 1, n - window - 1);
        System.arraycopy(later.hit(), owned, all.hit(), window + 1, n - window - 1);
        System.arraycopy(later.expected(), owned, all.expected(), window + 1, n - window - 1);
        return all;
    }

    /** The length of the windows over {@code n} tokens (n >= 2) for a model of {@code context} tokens. */
    public static int window(int n, int context) {
        return Math.min(Math.min(context, MAX_WINDOW), n - 1);
    }

    /** Where those windows start: every half window, the last one flush with the end. */
    static java.util.List<Integer> starts(int n, int window) {
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        for (int s = 0; ; s += Math.max(1, window / 2)) {
            int start = Math.min(s, n - 1 - window);
            starts.add(start);
            if (start + window >= n - 1) {
                return starts;
            }
        }
    }

    /**
     * The windows of {@code tokens} in batches, each handed to {@code action} with its tensors in a
     * sub-manager of the model's that is closed when it returns; nothing for fewer than two tokens.
     */
    static void forEachPass(CausalLm model, int[] tokens, int context, int batch, java.util.function.Consumer<Pass> action) {
        int n = tokens.length;
        if (n < 2) {
            return;
        }
        int window = window(n, context);
        batch = (int) Math.max(1, Math.min(batch, LOGIT_BUDGET / ((long) window * model.vocabSize())));
        java.util.List<Integer> starts = starts(n, window);
        for (int i = 0; i < starts.size(); i += batch) {
            int count = Math.min(batch, starts.size() - i);
            int[] passStarts = new int[count];
            int[] firstOwned = new int[count];
            long[] x = new long[count * window];
            long[] y = new long[count * window];
            for (int b = 0; b < count; b++) {
                int s = starts.get(i + b);
                passStarts[b] = s;
                firstOwned[b] = i + b == 0 ? 0 : Math.max(0, starts.get(i + b - 1) + window - s);
                for (int t = 0; t < window; t++) {
                    x[b * window + t] = tokens[s + t];
                    y[b * window + t] = tokens[s + t + 1];
                }
            }
            try (NDManager m = model.manager().newSubManager()) {
                action.accept(new Pass(i * window, window, passStarts, firstOwned, m.create(x, new Shape(count, window)),
                        m.create(y, new Shape(count, window)), y));
            }
        }
    }
}
