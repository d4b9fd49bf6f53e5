package org.slmworkbench.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.KvCache;

/**
 * One generation in progress: its KV cache, sampler and the tokens so far. Each {@link #step()}
 * runs one forward pass (the prefill first) in its own step manager, so native memory stays flat.
 */
public final class Generation implements AutoCloseable {
    private final CausalLm model;
    private final int eosId;
    private final double exitThreshold;
    private final int[] prompt;
    private final SamplingConfig sampling;
    private final Sampler sampler;
    private final KvCache cache;
    private final NDManager root;
    private final int[] out;
    private final long[] nanos;
    private int produced;
    private long exitLayers;
    private long prefillNanos;
    private int[] feed;
    private GenerationResult.StopReason reason;

    Generation(CausalLm model, int eosId, double exitThreshold, int[] prompt, SamplingConfig sampling) {
        this.model = model;
        this.eosId = eosId;
        this.exitThreshold = exitThreshold;
        this.prompt = prompt.clone();
        this.sampling = sampling;
        this.sampler = sampling.newSampler();
        this.out = new int[sampling.maxNewTokens()];
        this.nanos = new long[sampling.maxNewTokens()];
        this.feed = this.prompt;
        this.cache = model.newCache(1, Math.min(model.maxContext(), prompt.length + sampling.maxNewTokens()));
        this.root = model.manager().newSubManager();
        updateReason();
    }

    public boolean isDone() {
        return reason != null;
    }

    /** Runs one forward pass and returns the new token, or null when the generation has stopped. */
    public TokenEvent step() {
        if (reason != null) {
            return null;
        }
        long t0 = System.nanoTime();
        int next;
        try (NDManager step = root.newSubManager()) {
            NDArray ids = step.create(Arrays.stream(feed).asLongStream().toArray(), new Shape(1, feed.length));
            NDArray logits;
            if (exitThreshold > 0 && produced > 0) {
                CausalLm.EarlyExitStep exit = model.forwardEarlyExit(ids, cache, exitThreshold);
                logits = exit.logits();
                exitLayers += exit.exitLayer();
            } else {
                logits = model.forward(ids, cache, model.numLayers());
                exitLayers += model.numLayers();
            }
            next = sampler.sample(logits.get(new NDIndex(":, -1, :")).toFloatArray());
        }
        long elapsed = System.nanoTime() - t0;
        if (produced == 0) {
            prefillNanos = elapsed;
        }
        out[produced] = next;
        nanos[produced] = elapsed;
        TokenEvent event = new TokenEvent(produced, next, elapsed);
        produced++;
        feed = new int[] {next};
        if (sampling.stopAtEos() && next == eosId) {
            reason = GenerationResult.StopReason.EOS;
        } else {
            updateReason();
        }
        return event;
    }

    /** Stops here; the result keeps the tokens made so far. */
    public void cancel() {
        if (reason == null) {
            reason = GenerationResult.StopReason.CANCELLED;
        }
    }

    public GenerationResult result() {
        double meanExit = produced == 0 ? Double.NaN : (double) exitLayers / produced;
        GenerationResult.StopReason r = reason == null ? GenerationResult.StopReason.CANCELLED : reason;
        return new GenerationResult(prompt, Arrays.copyOf(out, produced), prefillNanos, Arrays.copyOf(nanos, produced), meanExit, r);
    }

    private void updateReason() {
        if (produced >= sampling.maxNewTokens()) {
            reason = GenerationResult.StopReason.MAX_TOKENS;
        } else if (prompt.length + produced >= model.maxContext()) {
            reason = GenerationResult.StopReason.CONTEXT_FULL;
        }
    }

    @Override
    public void close() {
        root.close();
        cache.close();
    }
}
