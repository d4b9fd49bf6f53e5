package org.slmworkbench.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;

/**
 * The next-token loss of a model on a frozen base of any precision and the gradients of its
 * trainable tensors (LoRA adapters), holding one block's activations and one block's widened
 * weights at a time.
 *
 * <p>Why: under autograd a product keeps its weight until backward, so a 16-bit or quantized base
 * widened for it would sit in memory as f32 for the whole step (4.4 GB at TinyLlama's size). So the
 * forward pass runs without autograd and keeps only each block's input; backward then runs block
 * by block from the top, recomputing each block's pass under autograd and pushing the gradient
 * of its output through it (a vector-Jacobian product: backward of sum(y ⊙ g)). That is
 * activation checkpointing at block granularity: one more forward pass of arithmetic.
 *
 * <p>The head's cross-entropy runs over chunks of tokens, so the logits of a whole batch over the
 * vocabulary never exist at once. With an early-exit weight, every block's output also takes the
 * head's loss (LayerSkip, as {@code Losses.earlyExitLoss} weighs it).
 */
public final class RecomputedBackward {
    /** Logits computed at a time by the chunked loss: 4M values, 16 MB. */
    static final long LOGIT_CHUNK = 1 << 22;

    private RecomputedBackward() {}

    /**
     * The loss of tokens {@code ids} (B, T) predicting {@code targets} (B, T), with the gradients
     * added to the trainable tensors' (every array that requires a gradient); arrays of the step
     * go to {@code step}.
     *
     * @param exitWeight 0 for the plain loss; otherwise each block's exit weighs {@code exitWeight · l / L}, the last 1
     */
    public static float lossAndGradients(CausalLm lm, NDArray ids, NDArray targets, double exitWeight, NDManager step) {
        AbstractCausalLm model = (AbstractCausalLm) lm;
        int layers = model.numLayers();
        int t = (int) ids.getShape().get(1);
        NDArray mask = Ops.causalMask(step, 0, t);
        NDArray[] inputs = new NDArray[layers + 1];
        // without autograd, so no block keeps a graph and 16-bit weights widen into one reused buffer
        Engines.withoutGradients(() -> {
            inputs[0] = model.embed(ids, 0);
            for (int i = 0; i < layers; i++) {
                try (NDManager scope = step.newSubManager()) {
                    inputs[i].tempAttach(scope);
                    NDArray y = model.block(i, inputs[i], 0, mask, null, null);
                    y.attach(step);
                    inputs[i + 1] = y;
                }
            }
        });
        double weightSum = 1;
        for (int l = 1; l < layers && exitWeight > 0; l++) {
            weightSum += exitWeight * l / layers;
        }
        NDArray flatTargets = targets.reshape(-1);
        long tokens = flatTargets.size();
        double loss = 0;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector();
                WidenArena arena = WidenArena.open()) {
            NDArray top = inputs[layers];
            top.setRequiresGradient(true);
            loss += headLoss(model, top, flatTargets, 1 / weightSum / tokens, collector, arena, step);
            NDArray upstream = gradientOf(top, step);
            for (int i = layers - 1; i >= 0; i--) {
                try (NDManager scope = step.newSubManager()) {
                    NDArray x = inputs[i];
                    // the block's intermediates follow x into the scope, so they are freed with it
                    x.tempAttach(scope);
                    if (i > 0) {
                        x.setRequiresGradient(true);
                    }
                    NDArray y = model.block(i, x, 0, mask, null, null);
                    y.attach(scope);
                    NDArray product = y.mul(upstream).sum();
                    product.attach(scope);
                    collector.backward(product);
                }
                arena.clear();
                if (i == 0) {
                    break;
                }
                if (exitWeight > 0) {
                    loss += headLoss(model, inputs[i], flatTargets, exitWeight * i / layers / weightSum / tokens, collector, arena, step);
                }
                upstream = gradientOf(inputs[i], step);
            }
        }
        return (float) loss;
    }

    /**
     * The head's summed next-token loss on {@code hidden} times {@code weight}, chunk by chunk, each
     * chunk's gradient pushed back to {@code hidden} at once (the head's widened rows then freed from
     * {@code arena}); returns the weighted loss.
     */
    private static double headLoss(AbstractCausalLm model, NDArray hidden, NDArray targets, double weight,
            GradientCollector collector, WidenArena arena, NDManager step) {
        long width = hidden.getShape().get(2);
        long tokens = targets.size();
        long chunk = Math.max(1, LOGIT_CHUNK / model.vocabSize());
        double sum = 0;
        for (long from = 0; from < tokens; from += chunk) {
            long to = Math.min(tokens, from + chunk);
            try (NDManager scope = step.newSubManager()) {
                NDArray rows = hidden.reshape(-1, width).get(new NDIndex("{}:{}", from, to));
                rows.attach(scope);
                NDArray logits = model.logits(rows);
                NDArray chosen = targets.get(new NDIndex("{}:{}", from, to));
                chosen.attach(scope);
                NDArray logProbs = logits.logSoftmax(1);
                NDArray nll = logProbs.gather(chosen.reshape(-1, 1), 1).neg().sum();
                sum += nll.getFloat();
                NDArray scaled = nll.mul(scope.create((float) weight));
                collector.backward(scaled);
            }
            arena.clear();
        }
        return sum * weight;
    }

    private static NDArray gradientOf(NDArray leaf, NDManager step) {
        NDArray g = leaf.getGradient();
        g.attach(step);
        return g;
    }
}
