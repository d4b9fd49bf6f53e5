package org.slmworkbench.generate;

/** One generated token, reported as soon as it exists; {@code nanos} is its own latency. */
public record TokenEvent(int index, int tokenId, long nanos) {
    public double millis() {
        return nanos / 1e6;
    }
}
