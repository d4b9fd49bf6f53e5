package org.slmworkbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GenerationResultTest {
    private static GenerationResult timed(long... nanos) {
        return new GenerationResult(new int[] {1}, new int[nanos.length], nanos[0], nanos, 2, GenerationResult.StopReason.MAX_TOKENS);
    }

    @Test
    void decodeFiguresLeaveOutTheFirstToken() {
        // the first token carries the prefill; one slow decode step moves the mean but not the median
        GenerationResult r = timed(900_000_000, 10_000_000, 30_000_000, 20_000_000, 140_000_000);
        assertEquals(4 / 0.2, r.decodeTokensPerSecond(), 1e-9);
        assertEquals(25.0, r.decodeMillisMedian(), 1e-9);
    }

    @Test
    void oneTokenHasNoDecodeFigures() {
        GenerationResult r = timed(5_000_000);
        assertTrue(Double.isNaN(r.decodeTokensPerSecond()));
        assertTrue(Double.isNaN(r.decodeMillisMedian()));
    }
}
