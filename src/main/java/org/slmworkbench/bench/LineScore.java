package org.slmworkbench.bench;

/** How surprising one input line was: mean and maximum token negative log-likelihood (nats). */
public record LineScore(int lineNumber, double meanNll, double maxSurprise, int tokens, String text) {}
