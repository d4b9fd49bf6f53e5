package org.slmworkbench.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.TaskControl;
import org.slmworkbench.generate.GenerationResult;
import org.slmworkbench.generate.Generator;
import org.slmworkbench.generate.SamplingConfig;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;

/**
 * The seed's code columns for one model: greedy completions of function signatures, checked by
 * python3's parser (Valid Code %, Syntax Errors) and, when the user opts in, run (Execution
 * Success %); Inference Success % counts generations that finished without an error. Percentages
 * are NaN (n/a) when python3 is missing or execution was not asked for.
 */
public record CodeMetrics(int samples, double inferenceSuccessPct, double validCodePct, int syntaxErrors, double executionSuccessPct) {
    public static final CodeMetrics NONE = new CodeMetrics(0, Double.NaN, Double.NaN, -1, Double.NaN);

    /** What the code columns need: prompts, completion length, python3 (may be null), and whether to run code. */
    public record Setup(List<String> prompts, int maxNewTokens, Python python, boolean execute) {}

    public static CodeMetrics measure(CausalLm model, TextTokenizer tok, int eosId, Setup setup, TaskControl control) throws IOException {
        List<String> sources = new ArrayList<>();
        int failed = 0;
        Generator g = new Generator(model, eosId);
        for (String prompt : setup.prompts()) {
            control.checkpoint();
            try {
                int[] ids = tok.encode(prompt);
                int budget = Math.min(setup.maxNewTokens(), model.maxContext() - ids.length);
                GenerationResult r = g.generate(ids, SamplingConfig.greedy(budget), e -> { }, control);
                sources.add(CodePrompts.program(prompt + tok.decode(r.newIds())));
            } catch (RuntimeException e) {
                if (e instanceof java.util.concurrent.CancellationException) {
                    throw e;
                }
                failed++;
            }
        }
        int n = setup.prompts().size();
        double inference = n == 0 ? Double.NaN : 100.0 * (n - failed) / n;
        if (setup.python() == null || sources.isEmpty()) {
            return new CodeMetrics(n, inference, Double.NaN, -1, Double.NaN);
        }
        List<String> errors = setup.python().syntaxErrors(sources);
        int invalid = (int) errors.stream().filter(e -> e != null).count();
        double executed = Double.NaN;
        if (setup.execute()) {
            int ok = 0;
            for (int i = 0; i < sources.size(); i++) {
                control.checkpoint();
                ok += errors.get(i) == null && setup.python().runsCleanly(sources.get(i)) ? 1 : 0;
            }
            executed = 100.0 * ok / n;
        }
        return new CodeMetrics(n, inference, 100.0 * (sources.size() - invalid) / n, invalid, executed);
    }

    /**
     * Valid Code % scaled by how much of the base model's held-out perplexity the model keeps:
     * {@code valid% × min(1, base perplexity / perplexity)}. The base scores its own Valid Code %.
     */
    public static double qualityScore(double validCodePct, double perplexity, double basePerplexity) {
        return validCodePct * Math.min(1, basePerplexity / perplexity);
    }
}
