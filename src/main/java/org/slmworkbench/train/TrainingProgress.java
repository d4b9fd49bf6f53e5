package org.slmworkbench.train;

/**
 * One report from a running trainer. {@code heldoutLoss} is NaN on steps without an evaluation.
 */
public record TrainingProgress(
        int step, int totalSteps, double loss, double heldoutLoss, double lr, double tokensPerSecond,
        double msPerStep, double etaSeconds) {

    public boolean hasHeldoutLoss() {
        return !Double.isNaN(heldoutLoss);
    }
}
