package org.slmworkbench.bench;

/**
 * Everything measured for one compression setting. Times in milliseconds, sizes in bytes; NaN (or
 * -1 for sizes) where a figure could not be measured, e.g. AUC without labels.
 */
public record BenchResult(
        String name,
        String config,
        int threads,
        double prefillMs,
        double decodeMsPerTokenP50,
        double decodeMsPerTokenP95,
        double tokensPerS,
        double samplesPerS,
        double sampleLatencyMs,
        long weightsBytes,
        long rssBytes,
        long denseFileBytes,
        long compactFileBytes,
        double perplexity,
        double nextTokenAccuracy,
        double top1Agreement,
        double meanKl,
        double anomalyAuc,
        long compressMs) {}
