package org.slmworkbench.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slmworkbench.BadInputException;
import org.slmworkbench.TaskControl;
import org.slmworkbench.bench.ProcessMemory;
import org.slmworkbench.bench.BenchReport;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.bench.Benchmark;
import org.slmworkbench.bench.CodeMetrics;
import org.slmworkbench.compress.Calibration;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.data.TextDataset;
import org.slmworkbench.train.TokenStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure compression settings on a model and dataset: latency, memory, file sizes and quality; writes"
                + " results.md, results.csv, results.json and charts.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Mixin DataFlags data;
    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;
    @Option(names = "--configs", paramLabel = "FILE.json", description = "[{\"name\": ..., \"config\": \"prune=0.5:structured\"}, ...]")
    Path configs;
    @Option(names = "--max-eval-tokens", defaultValue = "0", description = "held-out tokens for perplexity and agreement"
            + " (default: 20,000 below 10M parameters, fewer for larger models, 512 from 400M on)") int maxEvalTokens;
    @Option(names = "--no-deployed", description = "skip the deployed-memory column (each setting's export run in a fresh process)")
    boolean noDeployed;
    @Option(names = "--decode-tokens", defaultValue = "64") int decodeTokens;
    @Option(names = "--repeats", defaultValue = "3") int repeats;
    @Option(names = "--execute-code", description = "on Python data, also run each completion with python3 (in a fresh temporary folder,"
            + " under a time and memory limit): generated code is untrusted, so this is off unless asked for")
    boolean executeCode;
    @Mixin ThreadsOption threads;
    @Mixin WeightsOption weights;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        threads.apply();
        DecodeKernelNote.printIfMissing();
        if ((maxEvalTokens != 0 && maxEvalTokens < 2) || decodeTokens < 2 || repeats < 1) {
            throw new IllegalArgumentException("--max-eval-tokens and --decode-tokens must be >= 2, --repeats >= 1");
        }
        TextDataset ds = data.load(0.1);
        if (ds.heldout().isEmpty()) {
            throw new BadInputException(data.paths.get(0), "has no held-out text to measure quality on");
        }
        // anomaly labels belong to one folder of logs
        Benchmark.LabelledLines labelled = data.paths.size() == 1 ? Benchmark.labelledLines(data.paths.get(0)) : null;
        try (NDManager root = NDManager.newBaseManager(); LoadedLm m = CheckpointLoader.load(model, root, weights.policy())) {
            List<Benchmark.Entry> entries = configs == null ? Benchmark.defaults(m.model().numLayers()) : readConfigs(configs);
            for (Benchmark.Entry e : entries) {
                e.config().effectiveExitLayer(m.model().numLayers());
            }
            Calibration calibration = new Calibration(TokenStreams.of(ds.train(), m.tokenizer()));
            CodeMetrics.Setup code = Benchmark.codeSetup(ds.heldout(), executeCode);
            if (code != null && code.python() == null) {
                System.out.println("no python3 on the PATH: the code columns will read n/a");
            }
            List<BenchResult> results = Benchmark.run(m, ds.heldout(), calibration, labelled, code, entries,
                    new Benchmark.Options(maxEvalTokens > 0 ? maxEvalTokens : Benchmark.defaultEvalTokens(m.model().parameterCount()),
                            decodeTokens, repeats, !noDeployed), System.out::println, TaskControl.none());
            BenchReport.write(out, model.getFileName().toString(), results, CommandLines.reconstruct(spec));
            for (BenchResult r : results) {
                System.out.printf(Locale.ROOT, "%-26s decode p50 %7.2f ms/token  %7.1f tokens/s  weights %8.1f MB  compact %8.1f MB"
                        + "  deployed %s  perplexity %7.3f%n", r.name(), r.decodeMsPerTokenP50(), r.tokensPerS(), r.weightsBytes() / 1e6,
                        r.compactFileBytes() / 1e6, ProcessMemory.megabytes(r.deployedRssBytes()), r.perplexity());
            }
            System.out.println("wrote " + out.resolve("results.md"));
        }
        return 0;
    }

    private static List<Benchmark.Entry> readConfigs(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file, "file not found");
        }
        List<Benchmark.Entry> entries = new ArrayList<>();
        try {
            for (JsonElement e : JsonParser.parseString(Files.readString(file)).getAsJsonArray()) {
                entries.add(new Benchmark.Entry(e.getAsJsonObject().get("name").getAsString(),
                        CompressionConfig.parse(e.getAsJsonObject().get("config").getAsString())));
            }
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file, e.getMessage());
        } catch (RuntimeException e) {
            throw new BadInputException(file, "expected a JSON array of {\"name\": ..., \"config\": ...} objects");
        }
        if (entries.isEmpty()) {
            throw new BadInputException(file, "lists no settings");
        }
        return entries;
    }
}
