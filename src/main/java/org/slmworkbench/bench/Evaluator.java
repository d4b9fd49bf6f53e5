package org.slmworkbench.bench;

import java.util.Arrays;
import java.util.List;
import org.slmworkbench.Stats;
import org.slmworkbench.TaskControl;
import org.slmworkbench.data.Document;
import org.slmworkbench.generate.GenerationResult;
import org.slmworkbench.generate.Generator;
import org.slmworkbench.generate.SamplingConfig;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.Engines;
import org.slmworkbench.tokenizer.TextTokenizer;
import org.slmworkbench.train.TokenStreams;

/** Held-out loss, perplexity and accuracy, and single-stream greedy decode speed. */
public final class Evaluator {
    /** Windows per pass; {@link HeldOutQuality} batches as this does, so their figures are the same. */
    static final int BATCH = 8;
    private static final int PROMPT_TOKENS = 32;

    private Evaluator() {}

    /**
     * @param maxTokens evaluate at most this many held-out tokens (the first ones)
     * @param decodeTokens tokens to generate for the speed figure, after a warm-up run
     */
    public static EvalReport evaluate(CausalLm model, TextTokenizer tok, List<Document> heldout, int maxTokens, int decodeTokens) {
        int[] all = TokenStreams.of(heldout, tok);
        return evaluate(model, all.length > maxTokens ? Arrays.copyOf(all, maxTokens) : all, decodeTokens);
    }

    /** The same on text already tokenized. */
    public static EvalReport evaluate(CausalLm model, int[] tokens, int decodeTokens) {
        if (tokens.length < 2) {
            throw new IllegalArgumentException("the held-out text has fewer than two tokens");
        }
        long t0 = System.nanoTime();
        TokenStats.Result stats = TokenStats.of(model, tokens, model.maxContext(), BATCH);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double sum = 0;
        long hits = 0;
        long counted = 0;
        for (int i = 1; i < tokens.length; i++) {
            sum += stats.nll()[i];
            hits += stats.hit()[i] ? 1 : 0;
            counted++;
        }
        // leave room in the context for the tokens to generate
        int promptLength = Math.max(1, Math.min(Math.min(PROMPT_TOKENS, tokens.length), model.maxContext() / 4));
        int[] prompt = Arrays.copyOf(tokens, promptLength);
        double[] decode = decodeSpeed(model, prompt, Math.min(decodeTokens, model.maxContext() - promptLength));
        return new EvalReport(sum / counted, (double) hits / counted, counted, counted / seconds, decode[0], decode[1], Engines.threads());
    }

    /** {tokens/s, median ms per token} of greedy decoding, ignoring EOS, after one warm-up run. */
    public static double[] decodeSpeed(CausalLm model, int[] prompt, int tokens) {
        if (tokens < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Generator g = new Generator(model, -1);
        SamplingConfig greedy = SamplingConfig.greedyFixedLength(tokens);
        g.generate(prompt, greedy, e -> { }, TaskControl.none());
        GenerationResult r = g.generate(prompt, greedy, e -> { }, TaskControl.none());
        if (r.tokenNanos().length < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] perTokenMs = Arrays.stream(r.tokenNanos()).skip(1).mapToDouble(n -> n / 1e6).toArray();
        return new double[] {r.decodeTokensPerSecond(), Stats.median(perTokenMs)};
    }
}
