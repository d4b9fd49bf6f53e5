package org.slmworkbench.generate;

import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.slmworkbench.TaskControl;
import org.slmworkbench.model.CausalLm;

/**
 * The decoding loop: one prefill over the prompt, then one cached step per token, stopping at EOS,
 * at the token budget or when the context is full. {@link #start} gives the same loop one token at
 * a time, so two models can take turns (side-by-side output on one thread, timed fairly).
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

    /** A generation that advances one token per {@link Generation#step()}; close it when done. */
    public Generation start(int[] prompt, SamplingConfig sampling) {
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
        return new Generation(model, eosId, exitThreshold, prompt, sampling);
    }

    public GenerationResult generate(int[] prompt, SamplingConfig sampling, Consumer<TokenEvent> onToken, TaskControl control) {
        try (Generation g = start(prompt, sampling)) {
            try {
                for (TokenEvent e; (e = nextAfterCheckpoint(g, control)) != null; ) {
                    onToken.accept(e);
                }
            } catch (CancellationException e) {
                g.cancel();
            }
            return g.result();
        }
    }

    private static TokenEvent nextAfterCheckpoint(Generation g, TaskControl control) {
        if (g.isDone()) {
            return null;
        }
        control.checkpoint();
        return g.step();
    }
}
