package org.slmworkbench.generate;

import java.util.Arrays;
import org.slmworkbench.Stats;

/**
 * Prompt and new tokens with their timings; {@code meanExitLayer} is the average number of layers
 * each new token ran (all of them unless a confident early exit is on).
 */
public record GenerationResult(int[] promptIds, int[] newIds, long prefillNanos, long[] tokenNanos, double meanExitLayer,
        StopReason stopReason) {

    public enum StopReason { EOS, MAX_TOKENS, CONTEXT_FULL, CANCELLED }

    /** Prompt then new tokens. */
    public int[] allIds() {
        int[] all = Arrays.copyOf(promptIds, promptIds.length + newIds.length);
        System.arraycopy(newIds, 0, all, promptIds.length, newIds.length);
        return all;
    }

    /** Decode throughput over the tokens after the first (the first one pays for the prefill). */
    public double decodeTokensPerSecond() {
        if (tokenNanos.length < 2) {
            return Double.NaN;
        }
        long sum = 0;
        for (int i = 1; i < tokenNanos.length; i++) {
            sum += tokenNanos[i];
        }
        return (tokenNanos.length - 1) * 1e9 / sum;
    }

    /** Median milliseconds per token after the first: steady speed, without the first calls' one-off costs. */
    public double decodeMillisMedian() {
        if (tokenNanos.length < 2) {
            return Double.NaN;
        }
        return Stats.median(Arrays.stream(tokenNanos, 1, tokenNanos.length).mapToDouble(n -> n / 1e6).toArray());
    }
}
