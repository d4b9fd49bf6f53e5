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

    /**
     * What is known of a setting before its model runs: weights, file size and layers; every
     * measured figure NaN (-1 for sizes and counts), filled in as it is measured.
     */
    public static BenchResult computed(String name, String config, int threads, double layers, long weightsBytes, long rssBytes,
            long denseFileBytes, long compressMs) {
        double x = Double.NaN;
        return new BenchResult(name, config, threads, x, x, x, x, x, x, layers, weightsBytes, rssBytes, -1, denseFileBytes, -1, x, x, x,
                x, x, compressMs, x, x, -1, x, x);
    }

    /** The same result with these quality figures. */
    public BenchResult withQuality(double perplexity, double nextTokenAccuracy, double top1Agreement, double meanKl) {
        return new BenchResult(name, config, threads, prefillMs, decodeMsPerTokenP50, decodeMsPerTokenP95, tokensPerS, samplesPerS,
                sampleLatencyMs, meanExitLayer, weightsBytes, rssBytes, deployedRssBytes, denseFileBytes, compactFileBytes, perplexity,
                nextTokenAccuracy, top1Agreement, meanKl, anomalyAuc, compressMs, inferenceSuccessPct, validCodePct, syntaxErrors,
                executionSuccessPct, qualityScore);
    }

    /** The same result with its compact file's size. */
    public BenchResult withCompact(long compactBytes) {
        return new BenchResult(name, config, threads, prefillMs, decodeMsPerTokenP50, decodeMsPerTokenP95, tokensPerS, samplesPerS,
                sampleLatencyMs, meanExitLayer, weightsBytes, rssBytes, deployedRssBytes, denseFileBytes, compactBytes, perplexity,
                nextTokenAccuracy, top1Agreement, meanKl, anomalyAuc, compressMs, inferenceSuccessPct, validCodePct, syntaxErrors,
                executionSuccessPct, qualityScore);
    }

    /** The same result with the anomaly AUC of its line scores. */
    public BenchResult withAnomalyAuc(double auc) {
        return new BenchResult(name, config, threads, prefillMs, decodeMsPerTokenP50, decodeMsPerTokenP95, tokensPerS, samplesPerS,
                sampleLatencyMs, meanExitLayer, weightsBytes, rssBytes, deployedRssBytes, denseFileBytes, compactFileBytes, perplexity,
                nextTokenAccuracy, top1Agreement, meanKl, auc, compressMs, inferenceSuccessPct, validCodePct, syntaxErrors,
                executionSuccessPct, qualityScore);
    }

    /** The same result with the code columns. */
    public BenchResult withCode(CodeMetrics code) {
        return new BenchResult(name, config, threads, prefillMs, decodeMsPerTokenP50, decodeMsPerTokenP95, tokensPerS, samplesPerS,
                sampleLatencyMs, meanExitLayer, weightsBytes, rssBytes, deployedRssBytes, denseFileBytes, compactFileBytes, perplexity,
                nextTokenAccuracy, top1Agreement, meanKl, anomalyAuc, compressMs, code.inferenceSuccessPct(), code.validCodePct(),
                code.syntaxErrors(), code.executionSuccessPct(), qualityScore);
    }

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
