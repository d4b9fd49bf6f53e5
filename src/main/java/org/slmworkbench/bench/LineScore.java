package org.slmworkbench.bench;

/**
 * How surprising one input line was, in nats: the mean and the largest token negative
 * log-likelihood, and the anomaly score of the log event the line belongs to (a line with its
 * indented or "Caused by" continuation lines): its largest excess surprise (NLL minus the predicted
 * distribution's entropy) plus its mean NLL; {@code surprise} holds each of its tokens, for explanations.
 */
public record LineScore(String file, int lineNumber, double meanNll, double maxSurprise, double anomalyScore, int tokens, String text,
        TokenSurprise surprise) {}
