package org.slmworkbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slmworkbench.TaskControl;
import org.slmworkbench.lora.LoraConfig;
import org.slmworkbench.train.TrainConfig;
import org.slmworkbench.train.TrainResult;
import org.slmworkbench.train.TrainingJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Continue training an existing model folder on new data, on the CPU; writes a new model folder.",
                "With compression flags, compresses the model first and fine-tunes the compressed copy to recover quality:"
                        + " pruned weights stay zero, shared weights stay shared (each cluster's value learns), and the result"
                        + " is saved compact. Wanda pruning calibrates on --data."})
final class FinetuneCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Mixin DataFlags data;
    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;
    @Option(names = "--steps", defaultValue = "200") int steps;
    @Option(names = "--batch", defaultValue = "16") int batch;
    @Option(names = "--context", defaultValue = "128") int context;
    @Option(names = "--lr", defaultValue = "3e-4") double lr;
    @Option(names = "--seed", defaultValue = "1337") long seed;
    @Option(names = "--checkpoint-every", defaultValue = "0") int checkpointEvery;
    @Option(names = "--resume", description = "continue from the checkpoint in --out") boolean resume;
    @Option(names = "--print-every", defaultValue = "20") int printEvery;
    @Option(names = "--eval-windows", defaultValue = "64", paramLabel = "N", description = "held-out windows per evaluation (four"
            + " times as many at the end); at a billion parameters each costs a forward pass of seconds") int evalWindows;
    @Option(names = "--exit-loss", defaultValue = "0", paramLabel = "W", description = "train every layer as an early exit too"
            + " (LayerSkip-style loss through the shared head; exit l of L weighs W*l/L, the last 1); 0: off")
    double exitLoss;
    @Option(names = "--lora", paramLabel = "R", description = "train only LoRA adapters of rank R on the frozen base, which stays"
            + " as its folder stores it (16-bit, or compressed and quantized by the compression flags); writes the merged model and"
            + " the adapter alone in PEFT's layout (adapter/)") Integer loraRank;
    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA scale alpha (the update is alpha/R times B·A; default 2R)")
    Double loraAlpha;
    @Option(names = "--lora-dropout", paramLabel = "P", description = "drop each input of the adapters with probability P while"
            + " training (PEFT's lora_dropout; 0 <= P < 1, default 0); evaluation, generation and the merge never drop") Double loraDropout;
    @Option(names = "--lora-targets", paramLabel = "LIST", description = "modules to adapt, e.g. q,k,v,o,gate,up,down or c_attn,c_proj,c_fc"
            + " (default: every linear layer of the blocks)") String loraTargets;
    @Mixin CompressionOptions compression;
    @Mixin ThreadsOption threads;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLines.requireDistinct(model, out, "fine-tuning");
        if (loraRank == null && (loraAlpha != null || loraTargets != null || loraDropout != null)) {
            throw new IllegalArgumentException("--lora-alpha, --lora-dropout and --lora-targets need --lora R");
        }
        if (compression.calibration != null) {
            throw new IllegalArgumentException("finetune calibrates Wanda pruning on its --data; leave out --calibration");
        }
        TrainingJob.Request request = new TrainingJob.Request(data.paths, out, null, model, compression.config(),
                TrainConfig.defaults(steps, batch, context, lr, seed).withCheckpointEvery(checkpointEvery).withExitLoss(exitLoss)
                        .withEvalWindows(evalWindows), resume,
                CommandLines.reconstruct(spec), data.options(), loraRank == null ? null
                        : LoraConfig.of(loraRank, loraAlpha, loraTargets).withDropout(loraDropout == null ? 0 : loraDropout));
        System.out.println("threads: " + threads.apply());
        TrainResult r = TrainingJob.run(request, new ProgressPrinter(System.out, printEvery), System.out::println, TaskControl.none());
        TrainCommand.printSummary(r);
        return 0;
    }
}
