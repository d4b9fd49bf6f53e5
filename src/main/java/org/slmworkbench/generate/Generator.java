package org.slmworkbench.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.slmworkbench.TaskControl;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.KvCache;

/**
 * The decoding loop: one prefill over the prompt, then one cached step per token, stopping at EOS,
 * at the token budget or when the context is full. Each step's arrays live in a step manager.
 */
public final class Generator {
    private final CausalLm model;
    private final int eosId;
    private final double exitThreshold;

    /**
     * @param exitThreshold 0 to run every layer for every token; otherwise tokens after the prompt
     *     leave at the first layer whose top-1 probability reaches it
     */
    public Generator(CausalLm model, int eosId, double exitThreshold) {
        this.model = model;
        this.eosId = eosId;
        this.exitThreshold = exitThreshold;
    }

    public Generator(CausalLm model, int eosId) {
        this(model, eosId, 0);
    }

    public GenerationResult generate(int[] prompt, SamplingConfig sampling, Consumer<TokenEvent> onToken, TaskControl control) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt must have at least one token");
        }
        for (int id : prompt) {
            if (id < 0 || id >= model.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary 0.." + (model.vocabSize() - 1));
            }
        }
        if (prompt.length > model.maxContext()) {
            throw new IllegalArgumentException("prompt of " + prompt.length + " tokens exceeds the context of " + model.maxContext());
        }
        Sampler sampler = sampling.newSampler();
        int capacity = Math.min(model.maxContext(), prompt.length + sampling.maxNewTokens());
        int[] out = new int[sampling.maxNewTokens()];
        long[] nanos = new long[sampling.maxNewTokens()];
        int produced = 0;
        long exitLayers = 0;
        long prefillNanos = 0;
        GenerationResult.StopReason reason = GenerationResult.StopReason.MAX_TOKENS;
        try (KvCache cache = model.newCache(1, capacity); NDManager root = model.manager().newSubManager()) {
            int[] feed = prompt;
            while (produced < sampling.maxNewTokens()) {
                if (prompt.length + produced >= model.maxContext()) {
                    reason = GenerationResult.StopReason.CONTEXT_FULL;
                    break;
                }
                control.checkpoint();
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
                    float[] last = logits.get(new NDIndex(":, -1, :")).toFloatArray();
                    next = sampler.sample(last);
                }
                long elapsed = System.nanoTime() - t0;
                if (produced == 0) {
                    prefillNanos = elapsed;
                }
                out[produced] = next;
                nanos[produced] = elapsed;
                onToken.accept(new TokenEvent(produced, next, elapsed));
                produced++;
                if (sampling.stopAtEos() && next == eosId) {
                    reason = GenerationResult.StopReason.EOS;
                    break;
                }
                feed = new int[] {next};
            }
        } catch (CancellationException e) {
            reason = GenerationResult.StopReason.CANCELLED;
        }
        double meanExit = produced == 0 ? Double.NaN : (double) exitLayers / produced;
        return new GenerationResult(prompt, Arrays.copyOf(out, produced), prefillNanos, Arrays.copyOf(nanos, produced), meanExit, reason);
    }
}
