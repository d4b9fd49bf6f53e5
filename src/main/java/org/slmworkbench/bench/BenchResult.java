package org.slmworkbench.bench;

/**
 * Everything measured for one compression setting. Times in milliseconds, sizes in bytes; NaN (or
 * -1 for sizes and counts) where a figure could not be measured, e.g. AUC without labels, or the
 * code columns on data that is not Python.
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
        double meanExitLayer,
        long weightsBytes,
        long rssBytes,
        long deployedRssBytes,
        long denseFileBytes,
        long compactFileBytes,
        double perplexity,
        double nextTokenAccuracy,
        double top1Agreement,
        double meanKl,
        double anomalyAuc,
        long compressMs,
        double inferenceSuccessPct,
        double validCodePct,
        int syntaxErrors,
        double executionSuccessPct,
        double qualityScore) {

    /** The same result with the peak RSS of a fresh process running its export, and that export's compact file size. */
    public BenchResult withDeployed(long peakRss, long compactBytes) {
        return new BenchResult(name, config, threads, prefillMs, decodeMsPerTokenP50, decodeMsPerTokenP95, tokensPerS, samplesPerS,
                sampleLatencyMs, meanExitLayer, weightsBytes, rssBytes, peakRss, denseFileBytes, compactBytes, perplexity, nextTokenAccuracy,
                top1Agreement, meanKl, anomalyAuc, compressMs, inferenceSuccessPct, validCodePct, syntaxErrors, executionSuccessPct,
                qualityScore);
    }

    /** The same result with its Quality Score against the base model's perplexity (code data only). */
    public BenchResult withQualityAgainst(double basePerplexity) {
        return new BenchResult(name, config, threads, prefillMs, decodeMsPerTokenP50, decodeMsPerTokenP95, tokensPerS, samplesPerS,
                sampleLatencyMs, meanExitLayer, weightsBytes, rssBytes, deployedRssBytes, denseFileBytes, compactFileBytes, perplexity, nextTokenAccuracy, top1Agreement,
                meanKl, anomalyAuc, compressMs, inferenceSuccessPct, validCodePct, syntaxErrors, executionSuccessPct,
                CodeMetrics.qualityScore(validCodePct, perplexity, basePerplexity));
    }
}
