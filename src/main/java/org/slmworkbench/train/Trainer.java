package org.slmworkbench.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.slmworkbench.Stats;
import org.slmworkbench.TaskControl;
import org.slmworkbench.model.AdapterDropout;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.Engines;
import org.slmworkbench.model.RecomputedBackward;

/**
 * CPU trainer: AdamW with decay on matrices only, warm-up plus cosine schedule, global-norm
 * clipping, held-out loss every {@code evalEvery} steps, checkpoints, cancel and pause. Each step
 * runs in its own NDManager so native memory stays flat.
 */
public final class Trainer implements AutoCloseable {
    private static final int RECENT_STEPS = 100;

    private final CausalLm model;
    private final TrainConfig config;
    private final TokenWindows train;
    private final TokenWindows heldout;
    private final AdamW optimizer;
    private final Consumer<CausalLm> afterUpdate;
    private final Map<String, Parameter> trainable;
    private final boolean recompute;

    public Trainer(CausalLm model, TrainConfig config, TokenWindows train, TokenWindows heldout) {
        this(model, config, train, heldout, m -> { });
    }

    /**
     * @param afterUpdate runs after every optimizer update, e.g. to re-impose a compressed model's
     *     pruning masks and shared weights; its time counts towards the step's
     */
    public Trainer(CausalLm model, TrainConfig config, TokenWindows train, TokenWindows heldout, Consumer<CausalLm> afterUpdate) {
        this(model, model.parameters(), config, train, heldout, afterUpdate);
    }

    /**
     * Trains {@code trainable} alone (LoRA adapters) with the rest of the model frozen in whatever
     * form it is held. On a base held below f32, each step recomputes one block at a time
     * ({@link RecomputedBackward}) so that no f32 copy of the base builds up for backward.
     */
    public Trainer(CausalLm model, Map<String, Parameter> trainable, TrainConfig config, TokenWindows train, TokenWindows heldout,
            Consumer<CausalLm> afterUpdate) {
        config.validate();
        boolean widened = model.weights().values().stream().anyMatch(w -> w.precision().needsWidening());
        if (widened && trainable.keySet().equals(model.parameters().keySet())) {
            throw new IllegalArgumentException("training updates f32 weights; load the model with its weights widened to f32");
        }
        this.model = model;
        this.trainable = trainable;
        this.recompute = widened;
        this.config = config;
        this.train = train;
        this.heldout = heldout;
        this.optimizer = new AdamW(model.manager());
        this.afterUpdate = afterUpdate;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * Trains from the optimizer's current step to {@code config.steps()}.
     *
     * @param listener receives a progress event after every step (on the training thread)
     * @param sink receives checkpoints; may be null
     */
    public TrainResult run(Consumer<TrainingProgress> listener, TaskControl control, CheckpointSink sink) {
        Map<String, Parameter> params = trainable;
        params.values().forEach(p -> p.getArray().setRequiresGradient(true));
        int first = optimizer.step() + 1;
        List<Double> stepMs = new ArrayList<>();
        double[] recentLoss = new double[Math.max(1, Math.min(50, config.steps()))];
        int recentCount = 0;
        double lastHeldout = Double.NaN;
        long tokensPerStep = (long) config.batchSize() * config.context();
        boolean cancelled = false;
        int step = first - 1;
        try {
            for (step = first; step <= config.steps(); step++) {
                control.checkpoint();
                long t0 = System.nanoTime();
                double loss = trainStep(params, step);
                double ms = (System.nanoTime() - t0) / 1e6;
                stepMs.add(ms);
                recentLoss[recentCount++ % recentLoss.length] = loss;
                double heldoutLoss = Double.NaN;
                if (heldout != null && (step % config.evalEvery() == 0 || step == config.steps())) {
                    heldoutLoss = evaluate(heldout, config.evalWindows());
                    lastHeldout = heldoutLoss;
                }
                // recent steps only: cheap per step, and the ETA follows the current speed
                double medianMs = median(stepMs.subList(Math.max(0, stepMs.size() - RECENT_STEPS), stepMs.size()));
                listener.accept(new TrainingProgress(step, config.steps(), loss, heldoutLoss, config.lrAt(step),
                        tokensPerStep * 1000.0 / medianMs, ms, medianMs * (config.steps() - step) / 1000.0));
                if (sink != null && config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0
                        && step < config.steps()) {
                    sink.save(step, model, optimizer, summary(step, recentLoss, recentCount, lastHeldout, stepMs, false));
                }
            }
            step = config.steps();
        } catch (CancellationException e) {
            cancelled = true;
            step--;
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint failed: " + e.getMessage(), e);
        } finally {
            params.values().forEach(p -> p.getArray().setRequiresGradient(false));
        }
        return summary(step, recentLoss, recentCount, lastHeldout, stepMs, cancelled);
    }

    private TrainResult summary(int step, double[] recent, int count, double heldoutLoss, List<Double> ms, boolean cancelled) {
        int n = Math.min(count, recent.length);
        double mean = n == 0 ? Double.NaN : Arrays.stream(recent, 0, n).average().orElse(Double.NaN);
        double median = median(ms);
        double tps = (double) config.batchSize() * config.context() * 1000.0 / median;
        return new TrainResult(step, mean, heldoutLoss, median, tps, cancelled);
    }

    private double trainStep(Map<String, Parameter> params, int step) {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray[] batch = train.randomBatch(m, config.batchSize(), config.seed(), step);
            // LoRA adapters drop out their inputs within the step's passes only, with masks of (seed, step)
            float loss = AdapterDropout.training(config.seed(), step, () -> recompute
                    ? RecomputedBackward.lossAndGradients(model, batch[0], batch[1], config.exitLossWeight(), m) : lossAndGradients(batch));
            NDArray[] grads = new NDArray[params.size()];
            NDList flat = new NDList(params.size());
            int i = 0;
            for (Parameter p : params.values()) {
                NDArray g = p.getArray().getGradient();
                g.attach(m);
                grads[i++] = g;
                flat.add(g.reshape(-1));
            }
            // one concatenation instead of a norm and a sync per tensor
            NDArray all = NDArrays.concat(flat);
            double sumSquares = all.dot(all).getFloat();
            double norm = Math.sqrt(sumSquares);
            float scale = norm > config.gradClip() ? (float) (config.gradClip() / (norm + 1e-6)) : 1f;
            float lr = (float) config.lrAt(step);
            optimizer.beginStep();
            i = 0;
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray w = e.getValue().getArray();
                // decay matrices only; norms (1-D) keep their scale
                float decay = w.getShape().dimension() >= 2 ? (float) config.weightDecay() : 0f;
                optimizer.update(e.getKey(), w, grads[i++], lr, decay, scale);
            }
            afterUpdate.accept(model);
            return loss;
        }
    }

    /** The step's loss with the gradients of every trainable tensor, by one autograd pass over the whole model. */
    private float lossAndGradients(NDArray[] batch) {
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray lossArray = config.exitLossWeight() > 0
                    ? Losses.earlyExitLoss(model.exitLogits(batch[0]), batch[1], config.exitLossWeight())
                    : Losses.crossEntropy(model.forward(batch[0]), batch[1]);
            collector.backward(lossArray);
            return lossArray.getFloat();
        }
    }

    /**
     * Mean next-token loss over up to {@code maxWindows} evenly spread windows, without autograd:
     * mid-run the trainable tensors require gradients, and on a thread whose grad mode is on (any
     * new thread, such as the window's) the forward pass would record a graph holding every
     * widened matrix of a 16-bit base (4.4 GB at TinyLlama's size).
     */
    public double evaluate(TokenWindows data, int maxWindows) {
        int[] starts = data.evenStarts(maxWindows);
        double[] sum = new double[1];
        long[] count = new long[1];
        Engines.withoutGradients(() -> {
            for (int i = 0; i < starts.length; i += config.batchSize()) {
                int[] chunk = Arrays.copyOfRange(starts, i, Math.min(starts.length, i + config.batchSize()));
                try (NDManager m = model.manager().newSubManager()) {
                    NDArray[] xy = data.windows(m, chunk);
                    NDArray nll = Losses.tokenNll(model.forward(xy[0]), xy[1]);
                    sum[0] += nll.sum().getFloat();
                    count[0] += nll.size();
                }
            }
        });
        return sum[0] / count[0];
    }

    private static double median(List<Double> values) {
        return Stats.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Frees the optimizer's moments; the model stays usable. */
    @Override
    public void close() {
        optimizer.close();
    }
}
