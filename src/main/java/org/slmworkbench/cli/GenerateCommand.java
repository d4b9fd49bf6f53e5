package org.slmworkbench.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slmworkbench.TaskControl;
import org.slmworkbench.bench.DeployedMemory;
import org.slmworkbench.bench.ProcessMemory;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.generate.GenerationResult;
import org.slmworkbench.generate.Generator;
import org.slmworkbench.generate.SamplingConfig;
import org.slmworkbench.generate.TextStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt, streaming it token by token; timings go to standard error.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;

    @ArgGroup(exclusive = true, multiplicity = "1") Prompt prompt;

    static final class Prompt {
        @Option(names = "--prompt", paramLabel = "TEXT") String text;
        @Option(names = "--prompt-ids", split = ",", paramLabel = "ID") List<Integer> ids;
    }

    @Option(names = "--max-new-tokens", defaultValue = "64") int maxNewTokens;
    @Option(names = "--greedy", description = "always take the most likely token (the default when no --temperature is given)") boolean greedy;
    @Option(names = "--temperature", defaultValue = "0") double temperature;
    @Option(names = "--top-k", defaultValue = "0") int topK;
    @Option(names = "--top-p", defaultValue = "1") double topP;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--print-ids", description = "end with a line of all token ids (prompt, then new tokens)") boolean printIds;
    @Mixin ThreadsOption threads;
    @Mixin WeightsOption weights;
    @Mixin CompressionOptions compression;
    @Mixin AdapterOption adapter;

    @Override
    public Integer call() {
        threads.apply();
        DecodeKernelNote.printIfMissing();
        if (greedy && temperature > 0) {
            throw new IllegalArgumentException("--greedy and --temperature exclude each other");
        }
        SamplingConfig sampling = new SamplingConfig(maxNewTokens, greedy ? 0 : temperature, topK, topP, seed, true);
        long t0 = System.nanoTime();
        try (NDManager root = NDManager.newBaseManager(); LoadedLm m = CheckpointLoader.load(model, root, weights.policy());
                CompressionOptions.Applied run = compression.apply(m.model(), m.tokenizer(), root)) {
            adapter.mergeInto(run.model(), compression.config());
            System.err.printf(Locale.ROOT, "loaded %s (%,d parameters) in %.2f s%n", m.model().architecture(), m.model().parameterCount(),
                    (System.nanoTime() - t0) / 1e9);
            int[] ids = prompt.ids != null ? prompt.ids.stream().mapToInt(Integer::intValue).toArray() : m.tokenizer().encode(prompt.text);
            if (prompt.text != null) {
                System.out.print(prompt.text);
            }
            TextStream stream = new TextStream(m.tokenizer());
            double threshold = compression.config().exitThreshold();
            GenerationResult r = new Generator(run.model(), m.eosId(), threshold).generate(ids, sampling, e -> {
                System.out.print(stream.push(e.tokenId()));
                System.out.flush();
            }, TaskControl.none());
            System.out.println();
            System.err.printf(Locale.ROOT, "%d new tokens, prefill %.1f ms, %.1f tokens/s (median %.1f ms/token), mean layers per token %.2f,"
                    + " stopped: %s; weights %s (%s in memory), %s%n",
                    r.newIds().length, r.prefillNanos() / 1e6, r.decodeTokensPerSecond(), r.decodeMillisMedian(), r.meanExitLayer(),
                    r.stopReason().name().toLowerCase(Locale.ROOT), ProcessMemory.megabytes(run.model().weightBytes()),
                    run.model().matrixPrecision().label(), DeployedMemory.peakLine());
            if (printIds) {
                System.out.println(Arrays.stream(r.allIds()).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            }
        }
        return 0;
    }
}
