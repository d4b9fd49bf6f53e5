package org.slmworkbench.train;

/** Outcome of a training run; losses are NaN when not measured. */
public record TrainResult(
        int stepsDone, double trainLoss, double heldoutLoss, double medianMsPerStep, double tokensPerSecond,
        boolean cancelled) {}
