package org.slmworkbench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Input/target windows over a token stream. Training batches are a pure function of (seed, step),
 * so a resumed run draws exactly the batches the uninterrupted run would have.
 */
public final class TokenWindows {
    private final int[] tokens;
    private final int context;

    public TokenWindows(int[] tokens, int context) {
        if (tokens.length < context + 1) {
            throw new IllegalArgumentException("need at least " + (context + 1) + " tokens, have " + tokens.length);
        }
        this.tokens = tokens;
        this.context = context;
    }

    public int tokenCount() {
        return tokens.length;
    }

    /** Random windows for 1-based {@code step}: inputs and targets, each (batch, context) int64. */
    public NDArray[] randomBatch(NDManager m, int batch, long seed, int step) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + step);
        int[] starts = new int[batch];
        for (int b = 0; b < batch; b++) {
            starts[b] = r.nextInt(tokens.length - context);
        }
        return windows(m, starts);
    }

    /** Up to {@code max} non-overlapping windows spread evenly over the stream, for evaluation. */
    public int[] evenStarts(int max) {
        int available = (tokens.length - 1) / context;
        int n = Math.max(1, Math.min(max, available));
        int[] starts = new int[n];
        long span = tokens.length - context - 1L;
        for (int i = 0; i < n; i++) {
            starts[i] = n == 1 ? 0 : (int) (span * i / (n - 1));
        }
        return starts;
    }

    public NDArray[] windows(NDManager m, int[] starts) {
        long[] x = new long[starts.length * context];
        long[] y = new long[starts.length * context];
        for (int b = 0; b < starts.length; b++) {
            for (int t = 0; t < context; t++) {
                x[b * context + t] = tokens[starts[b] + t];
                y[b * context + t] = tokens[starts[b] + t + 1];
            }
        }
        Shape shape = new Shape(starts.length, context);
        return new NDArray[] {m.create(x, shape), m.create(y, shape)};
    }
}
