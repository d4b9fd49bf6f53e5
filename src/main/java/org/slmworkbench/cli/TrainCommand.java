package org.slmworkbench.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slmworkbench.TaskControl;
import org.slmworkbench.train.ModelShape;
import org.slmworkbench.train.TrainConfig;
import org.slmworkbench.train.TrainResult;
import org.slmworkbench.train.TrainingJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a new Llama-style model (and its tokenizer) on text or log files, on the CPU.")
final class TrainCommand implements Callable<Integer> {
    @Mixin DataFlags data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "checkpoint folder to write")
    Path out;

    @Option(names = "--layers", defaultValue = "4") int layers;
    @Option(names = "--hidden", defaultValue = "128") int hidden;
    @Option(names = "--heads", defaultValue = "4") int heads;
    @Option(names = "--kv-heads", description = "key/value heads for grouped-query attention (default: --heads)") Integer kvHeads;
    @Option(names = "--intermediate", defaultValue = "0", description = "MLP width (default: 8/3 of hidden)") int intermediate;
    @Option(names = "--context", defaultValue = "128") int context;
    @Option(names = "--vocab", defaultValue = "4096", description = "byte-level BPE vocabulary size") int vocab;
    @Option(names = "--char", description = "character-level tokenizer instead of BPE") boolean charLevel;
    @Option(names = "--split-digits", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "give every digit its own token (default; --no-split-digits merges digits like GPT-2)")
    boolean splitDigits;
    @Option(names = "--steps", defaultValue = "1000") int steps;
    @Option(names = "--batch", defaultValue = "16") int batch;
    @Option(names = "--lr", defaultValue = "1e-3") double lr;
    @Option(names = "--warmup", description = "warm-up steps (default: 10%% of steps, at most 100)") Integer warmup;
    @Option(names = "--seed", defaultValue = "1337") long seed;
    @Option(names = "--eval-every", description = "held-out loss every N steps (default: steps/10)") Integer evalEvery;
    @Option(names = "--checkpoint-every", defaultValue = "0", description = "write a resumable checkpoint every N steps (0: only at the end)")
    int checkpointEvery;
    @Option(names = "--resume", description = "continue from the checkpoint in --out") boolean resume;
    @Option(names = "--print-every", defaultValue = "50") int printEvery;
    @Mixin ThreadsOption threads;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int n = threads.apply();
        ModelShape shape = new ModelShape(layers, hidden, heads, kvHeads == null ? heads : kvHeads, intermediate, context, vocab, charLevel,
                splitDigits);
        shape.validate();
        TrainConfig base = TrainConfig.defaults(steps, batch, context, lr, seed);
        TrainConfig cfg = new TrainConfig(steps, batch, context, lr, lr / 10, warmup == null ? base.warmupSteps() : warmup,
                base.weightDecay(), base.gradClip(), seed, evalEvery == null ? base.evalEvery() : evalEvery, base.evalWindows(),
                checkpointEvery, 0);
        cfg.validate();
        System.out.println("threads: " + n);
        TrainResult r = TrainingJob.run(new TrainingJob.Request(data.paths, out, shape, null, null, cfg, resume,
                CommandLines.reconstruct(spec), data.options()),
                new ProgressPrinter(System.out, printEvery), System.out::println, TaskControl.none());
        printSummary(r);
        return 0;
    }

    static void printSummary(TrainResult r) {
        System.out.printf(Locale.ROOT, "done: %d steps, train loss %.4f, held-out loss %.4f (perplexity %.3f), median %.1f ms/step, %,.0f tokens/s%n",
                r.stepsDone(), r.trainLoss(), r.heldoutLoss(), Math.exp(r.heldoutLoss()), r.medianMsPerStep(), r.tokensPerSecond());
    }
}
