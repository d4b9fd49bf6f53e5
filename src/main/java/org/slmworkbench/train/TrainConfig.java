package org.slmworkbench.train;

/**
 * Hyper-parameters of one training run. The learning rate warms up linearly for {@code
 * warmupSteps}, then follows a cosine down to {@code minLr}.
 */
public record TrainConfig(
        int steps,
        int batchSize,
        int context,
        double lr,
        double minLr,
        int warmupSteps,
        double weightDecay,
        double gradClip,
        long seed,
        int evalEvery,
        int evalWindows,
        int checkpointEvery,
        double exitLossWeight) {

    public static TrainConfig defaults(int steps, int batch, int context, double lr, long seed) {
        return new TrainConfig(steps, batch, context, lr, lr / 10, Math.min(100, steps / 10), 0.1, 1.0, seed,
                Math.max(1, steps / 10), 64, 0, 0);
    }

    public TrainConfig withCheckpointEvery(int every) {
        return new TrainConfig(steps, batchSize, context, lr, minLr, warmupSteps, weightDecay, gradClip, seed,
                evalEvery, evalWindows, every, exitLossWeight);
    }

    /** The held-out loss over {@code windows} windows (four times as many at the end). */
    public TrainConfig withEvalWindows(int windows) {
        return new TrainConfig(steps, batchSize, context, lr, minLr, warmupSteps, weightDecay, gradClip, seed, evalEvery, windows,
                checkpointEvery, exitLossWeight);
    }

    /** Held-out loss every {@code every} steps. */
    public TrainConfig withEvalEvery(int every) {
        return new TrainConfig(steps, batchSize, context, lr, minLr, warmupSteps, weightDecay, gradClip, seed, every, evalWindows,
                checkpointEvery, exitLossWeight);
    }

    /**
     * With a weight above 0, every layer's hidden state also goes through the final norm and the
     * shared head and its next-token loss joins the objective (LayerSkip's early-exit loss), so
     * exiting early gives usable predictions.
     */
    public TrainConfig withExitLoss(double weight) {
        return new TrainConfig(steps, batchSize, context, lr, minLr, warmupSteps, weightDecay, gradClip, seed, evalEvery, evalWindows,
                checkpointEvery, weight);
    }

    /** Learning rate for 1-based step {@code step}. */
    public double lrAt(int step) {
        if (step <= warmupSteps) {
            return lr * step / Math.max(1, warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
        return minLr + 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress))) * (lr - minLr);
    }

    public void validate() {
        if (steps < 1 || batchSize < 1 || context < 2 || evalWindows < 1) {
            throw new IllegalArgumentException("steps, batch, context and held-out windows must be positive (context at least 2)");
        }
        if (!(exitLossWeight >= 0 && exitLossWeight <= 10)) {
            throw new IllegalArgumentException("the early-exit loss weight must be in 0..10, got " + exitLossWeight);
        }
        if (!(lr > 0) || lr > 1) {
            throw new IllegalArgumentException("learning rate must be in (0, 1], got " + lr);
        }
    }
}
