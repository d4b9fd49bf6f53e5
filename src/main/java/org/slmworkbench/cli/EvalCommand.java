package org.slmworkbench.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slmworkbench.BadInputException;
import org.slmworkbench.bench.EvalReport;
import org.slmworkbench.bench.Evaluator;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.data.TextDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Held-out loss, perplexity, next-token accuracy and tokens/s of a model on a dataset's held-out part"
                + " (a train/ + heldout/ folder pair, or the last 10%% of each file).")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Mixin DataFlags data;
    @Option(names = "--max-tokens", defaultValue = "200000", description = "evaluate at most this many held-out tokens") int maxTokens;
    @Option(names = "--decode-tokens", defaultValue = "128", description = "tokens generated for the decode-speed figure") int decodeTokens;
    @Mixin ThreadsOption threads;
    @Mixin WeightsOption weights;
    @Mixin CompressionOptions compression;
    @Mixin AdapterOption adapter;

    @Override
    public Integer call() {
        threads.apply();
        TextDataset ds = data.load(0.1);
        if (ds.heldout().isEmpty()) {
            throw new BadInputException(data.paths.get(0), "has no held-out text to evaluate on");
        }
        try (NDManager root = NDManager.newBaseManager(); LoadedLm m = CheckpointLoader.load(model, root, weights.policy());
                CompressionOptions.Applied run = compression.apply(m.model(), m.tokenizer(), root)) {
            adapter.mergeInto(run.model(), compression.config());
            EvalReport r = Evaluator.evaluate(run.model(), m.tokenizer(), ds.heldout(), maxTokens, decodeTokens);
            System.out.printf(Locale.ROOT, "held-out loss        %.4f%n", r.heldoutLoss());
            System.out.printf(Locale.ROOT, "perplexity           %.3f%n", r.perplexity());
            System.out.printf(Locale.ROOT, "next-token accuracy  %.2f%%%n", 100 * r.nextTokenAccuracy());
            System.out.printf(Locale.ROOT, "tokens evaluated     %,d%n", r.evalTokens());
            System.out.printf(Locale.ROOT, "eval tokens/s        %,.0f%n", r.evalTokensPerSecond());
            System.out.printf(Locale.ROOT, "decode tokens/s      %.1f (greedy, single stream, median %.2f ms/token)%n",
                    r.decodeTokensPerSecond(), r.decodeMsPerTokenP50());
            System.out.printf(Locale.ROOT, "threads              %d%n", r.threads());
        }
        return 0;
    }
}
