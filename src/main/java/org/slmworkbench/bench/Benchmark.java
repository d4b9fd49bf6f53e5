package org.slmworkbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slmworkbench.Stats;
import org.slmworkbench.TaskControl;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.compress.CompactWeights;
import org.slmworkbench.compress.Calibration;
import org.slmworkbench.compress.CompressedModel;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.compress.Compressor;
import org.slmworkbench.data.AnomalyLabels;
import org.slmworkbench.data.Document;
import org.slmworkbench.generate.GenerationResult;
import org.slmworkbench.generate.Generator;
import org.slmworkbench.generate.SamplingConfig;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.model.Engines;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;
import org.slmworkbench.train.TokenStreams;

/**
 * Measures every compression setting the same way: after a warm-up, {@code repeats} greedy
 * generations of a fixed length (prefill and per-token decode times), memory and file sizes, and
 * quality on held-out text — perplexity, agreement with the base model, and anomaly AUC when the
 * data has labels.
 */
public final class Benchmark {
    private static final int PROMPT_TOKENS = 32;
    private static final int CODE_PROMPTS = 32;
    private static final int CODE_TOKENS = 96;
    private static final int UNTIMED_TOKENS = 8;

    private Benchmark() {}

    /** A named setting to measure. */
    public record Entry(String name, CompressionConfig config) {}

    /** @param deployed also measure each setting's export in a fresh process ({@link DeployedMemory}) */
    public record Options(int maxEvalTokens, int decodeTokens, int repeats, boolean deployed) {}

    /** Held-out log lines by file and their labels, for the anomaly column; null when unlabelled. */
    public record LabelledLines(Map<String, List<String>> lines, AnomalyLabels labels, Path labelsFile) {}

    /** Held-out lines and labels when the data is a labelled folder (like sample-logs), else null. */
    public static LabelledLines labelledLines(Path data) {
        Path dir = Files.isDirectory(data.resolve("heldout")) ? data.resolve("heldout") : data;
        Path labels = Files.isDirectory(dir) ? ScoreFiles.labelsFor(List.of(dir), null) : null;
        return labels == null ? null : new LabelledLines(ScoreFiles.readLines(List.of(dir)), AnomalyLabels.load(labels), labels);
    }

    /**
     * Held-out tokens a bench scores per setting by default: 20,000 for small models, then fewer as
     * each pass costs more (about 2·10^11 / parameters, at least 512: 1,219 at tiny_starcoder's 164M),
     * so a bench of the seed's models takes minutes on a laptop CPU; {@code --max-eval-tokens} asks for more.
     */
    public static int defaultEvalTokens(long parameters) {
        return (int) Math.max(512, Math.min(20_000, 2e11 / Math.max(1, parameters)));
    }

    /** The seed's techniques at their usual strengths, quantization, plus a combination. */
    public static List<Entry> defaults(int layers) {
        int half = Math.max(1, layers / 2);
        return List.of(
                new Entry("Base", CompressionConfig.NONE),
                new Entry("Pruning 50% magnitude", CompressionConfig.parse("prune=0.5:magnitude")),
                new Entry("Pruning 50% wanda", CompressionConfig.parse("prune=0.5:wanda")),
                new Entry("Pruning 50% structured", CompressionConfig.parse("prune=0.5:structured")),
                new Entry("Weight Sharing k=16", CompressionConfig.parse("share=16")),
                new Entry("Quantization int8", CompressionConfig.parse("quant=int8")),
                new Entry("Quantization int4", CompressionConfig.parse("quant=int4")),
                new Entry("Quantization int4 AWQ", CompressionConfig.parse("quant=int4:awq")),
                new Entry("Early Exit at L/2", CompressionConfig.parse("exit=" + half)),
                new Entry("Combined", CompressionConfig.parse("prune=0.5:structured,share=16")));
    }

    /** What every setting is measured on: the prompt, the held-out tokens, the labelled lines (may be null). */
    public record Inputs(int[] prompt, int[] evalTokens, LabelledLines labelled, CodeMetrics.Setup code) {}

    /** @param code prompts and python3 for the code columns, or null to leave them n/a */
    public static Inputs inputs(LoadedLm base, List<Document> heldout, LabelledLines labelled, CodeMetrics.Setup code,
            Options options) {
        return inputs(base, TokenStreams.of(heldout, base.tokenizer()), labelled, code, options);
    }

    /** The same from held-out text already tokenized, so several option sets share one tokenization. */
    public static Inputs inputs(LoadedLm base, int[] stream, LabelledLines labelled, CodeMetrics.Setup code, Options options) {
        int[] evalTokens = Arrays.copyOf(stream, Math.min(stream.length, options.maxEvalTokens()));
        int[] prompt = Arrays.copyOf(stream, Math.min(PROMPT_TOKENS, Math.max(1, base.model().maxContext() / 4)));
        return new Inputs(prompt, evalTokens, labelled, code);
    }

    /** The code columns' setup when the held-out text is Python source, else null. */
    public static CodeMetrics.Setup codeSetup(List<Document> heldout, boolean executeCode) {
        return CodePrompts.isPython(heldout)
                ? new CodeMetrics.Setup(CodePrompts.of(heldout, CODE_PROMPTS), CODE_TOKENS, Python.onPath(), executeCode) : null;
    }

    /** @param calibration token ids of training text, for settings that calibrate (Wanda) */
    public static List<BenchResult> run(LoadedLm base, List<Document> heldout, Calibration calibration, LabelledLines labelled,
            CodeMetrics.Setup code, List<Entry> entries, Options options, Consumer<String> log, TaskControl control) throws IOException {
        Inputs in = inputs(base, heldout, labelled, code, options);
        // the first setting measured must not pay for the JVM's and the engine's warm-up
        warmUp(base.model(), in.prompt(), options.decodeTokens());
        List<BenchResult> results = new ArrayList<>();
        // every copy shares the base's untouched tensors: count each tensor's compact size once
        CompactWeights.SizeCache sizes = new CompactWeights.SizeCache();
        // with settings to compare, the base is timed last, warm like every setting before it, so
        // speed-ups are not inflated by the JIT still compiling the decode loop when it went first
        boolean baseLast = entries.size() > 1;
        try (HeldOutQuality quality = HeldOutQuality.of(base.model(), in.evalTokens())) {
            for (Entry e : entries) {
                results.add(measureEntry(e, base, calibration, in, options, sizes, quality, baseLast, log, control));
            }
        }
        String none = CompressionConfig.NONE.toCompactString();
        if (baseLast && results.stream().anyMatch(r -> r.config().equals(none))) {
            control.checkpoint();
            log.accept("timing the base's decode again, warm");
            DecodeTiming warm = timeDecode(base.model(), in.prompt(), options, 0, control);
            results.replaceAll(r -> r.config().equals(none) ? warm.applyTo(r) : r);
        }
        double basePerplexity = results.stream().filter(r -> r.config().equals(none))
                .mapToDouble(BenchResult::perplexity).findFirst().orElse(Double.NaN);
        return results.stream().map(r -> r.withQualityAgainst(basePerplexity)).toList();
    }

    private static BenchResult measureEntry(Entry e, LoadedLm base, Calibration calibration, Inputs in, Options options,
            CompactWeights.SizeCache sizes, HeldOutQuality quality, boolean baseLast, Consumer<String> log, TaskControl control)
            throws IOException {
        control.checkpoint();
        log.accept("measuring " + e.name() + " (" + e.config().toCompactString() + ")");
        try (CompressedModel copy = e.config().isNone() ? null
                : Compressor.compress(base.model(), e.config(), base.model().manager(), calibration, control)) {
            return measure(e, base, copy == null ? base.model() : copy.model(), copy == null ? 0 : copy.compressMillis(), in, options,
                    sizes, quality, copy == null && baseLast, log, control);
        }
    }

    /**
     * Measures one model (the base itself or a compressed copy of it); AUC only when the inputs have
     * labels. With {@code timeLater} its speed figures are left unknown, for the caller to time.
     */
    private static BenchResult measure(Entry e, LoadedLm base, CausalLm model, long compressMs, Inputs in, Options o,
            CompactWeights.SizeCache sizes, HeldOutQuality quality, boolean timeLater, Consumer<String> log, TaskControl control)
            throws IOException {
        int[] prompt = in.prompt();
        LabelledLines labelled = in.labelled();
        long start = System.nanoTime();
        DecodeTiming t = timeLater ? DecodeTiming.UNKNOWN : timeDecode(model, prompt, o, e.config().exitThreshold(), control);
        long decoded = System.nanoTime();
        control.checkpoint();
        boolean copy = model != base.model();
        long dense = ModelDirectory.denseFileSize(model);
        // a copy exported for its deployed memory takes its compact size from that file
        long compact = o.deployed() && copy ? -1 : ModelDirectory.compactFileSize(model, sizes);
        control.checkpoint();
        HeldOutQuality.Figures q = quality.of(model);
        double auc = Double.NaN;
        if (labelled != null) {
            control.checkpoint();
            auc = anomalyAuc(model, base.tokenizer(), labelled);
        }
        CodeMetrics code = CodeMetrics.NONE;
        if (in.code() != null) {
            control.checkpoint();
            code = CodeMetrics.measure(model, base.tokenizer(), base.eosId(), in.code(), control);
        }
        long scored = System.nanoTime();
        BenchResult r = new BenchResult(e.name(), e.config().toCompactString(), Engines.threads(), t.prefillMs(), t.decodeMsP50(),
                t.decodeMsP95(), t.tokensPerS(), t.samplesPerS(), t.sampleMs(), t.meanExitLayer(), model.weightBytes(),
                ProcessMemory.rssBytes(), -1, dense, compact, q.perplexity(), q.nextTokenAccuracy(), q.top1Agreement(), q.meanKl(), auc,
                compressMs, code.inferenceSuccessPct(), code.validCodePct(), code.syntaxErrors(), code.executionSuccessPct(), Double.NaN);
        String phases = String.format(Locale.ROOT, "  compressed in %.1f s, %s, quality scored in %.1f s", compressMs / 1e3,
                timeLater ? "decode timed last" : String.format(Locale.ROOT, "decode timed in %.1f s", (decoded - start) / 1e9),
                (scored - decoded) / 1e9);
        if (!o.deployed()) {
            log.accept(phases);
            return r;
        }
        control.checkpoint();
        // exported (for a copy) after quality is scored, so the heap the export grows is not held through the scoring
        log.accept("  deployed memory: generating from " + (copy ? "its compact export" : "the model folder") + " in a fresh process");
        DeployedMemory.Measured d = copy ? DeployedMemory.ofCopy(model, base.directory(), prompt)
                : new DeployedMemory.Measured(DeployedMemory.ofFolder(base.directory(), prompt), compact);
        log.accept(phases + String.format(Locale.ROOT, ", deployed memory in %.1f s", (System.nanoTime() - scored) / 1e9));
        return r.withDeployed(d.peakRssBytes(), d.compactFileBytes());
    }

    /** ROC AUC of the model's line surprise against the labels of the held-out lines. */
    public static double anomalyAuc(CausalLm model, TextTokenizer tokenizer, LabelledLines labelled) {
        List<LineScore> scores = new ArrayList<>();
        labelled.lines().forEach((file, lines) -> scores.addAll(LineScorer.score(model, tokenizer, file, lines)));
        return ScoreFiles.auc(scores, labelled.labels(), labelled.labelsFile()).anomalyScore();
    }

    /** Speed of greedy generation of a fixed length: median prefill, per-token percentiles, throughput. */
    public record DecodeTiming(double prefillMs, double decodeMsP50, double decodeMsP95, double tokensPerS, double samplesPerS,
            double sampleMs, double meanExitLayer) {
        /** Not timed (yet). */
        static final DecodeTiming UNKNOWN = new DecodeTiming(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN);

        /** The same result with these speed figures instead of its own (e.g. a base re-timed beside a compressed copy). */
        public BenchResult applyTo(BenchResult r) {
            return new BenchResult(r.name(), r.config(), r.threads(), prefillMs, decodeMsP50, decodeMsP95, tokensPerS, samplesPerS, sampleMs,
                    meanExitLayer, r.weightsBytes(), r.rssBytes(), r.deployedRssBytes(), r.denseFileBytes(), r.compactFileBytes(), r.perplexity(), r.nextTokenAccuracy(),
                    r.top1Agreement(), r.meanKl(), r.anomalyAuc(), r.compressMs(), r.inferenceSuccessPct(), r.validCodePct(), r.syntaxErrors(),
                    r.executionSuccessPct(), r.qualityScore());
        }
    }

    /**
     * A short untimed generation, then {@code repeats} timed ones of {@code decodeTokens} tokens from the
     * prompt; with an exit threshold, tokens leave at the first confident layer (dynamic early exit).
     */
    public static DecodeTiming timeDecode(CausalLm model, int[] prompt, Options o, double exitThreshold, TaskControl control) {
        return timeDecode(model, prompt, o.decodeTokens(), o.repeats(), true, exitThreshold, control);
    }

    /**
     * The same with the untimed generation optional: a window that has warmed the engine on the
     * base skips it for a copy, whose first figure must come within seconds at a billion parameters.
     */
    public static DecodeTiming timeDecode(CausalLm model, int[] prompt, int decodeTokens, int repeats, boolean untimedFirst,
            double exitThreshold, TaskControl control) {
        Generator g = new Generator(model, -1, exitThreshold);
        int budget = Math.min(decodeTokens, model.maxContext() - prompt.length);
        SamplingConfig greedy = SamplingConfig.greedyFixedLength(budget);
        if (untimedFirst) {
            // a few tokens run the copy's kernels through the JIT and its weights into the caches;
            // the engine itself was warmed before the first setting
            g.generate(prompt, SamplingConfig.greedyFixedLength(Math.min(budget, UNTIMED_TOKENS)), t -> { }, control);
        }
        double[] prefill = new double[repeats];
        double[] sample = new double[repeats];
        double[] exits = new double[repeats];
        List<Double> perToken = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            control.checkpoint();
            GenerationResult res = g.generate(prompt, greedy, t -> { }, control);
            exits[r] = res.meanExitLayer();
            prefill[r] = res.prefillNanos() / 1e6;
            sample[r] = Arrays.stream(res.tokenNanos()).sum() / 1e6;
            for (int i = 1; i < res.tokenNanos().length; i++) {
                perToken.add(res.tokenNanos()[i] / 1e6);
            }
        }
        control.checkpoint();
        double[] tokens = perToken.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double meanDecode = Arrays.stream(tokens).average().orElse(Double.NaN);
        double sampleMs = Stats.median(sample);
        return new DecodeTiming(Stats.median(prefill), Stats.percentile(tokens, 0.5), Stats.percentile(tokens, 0.95), 1000 / meanDecode,
                1000 / sampleMs, sampleMs, Arrays.stream(exits).average().orElse(Double.NaN));
    }

    /** A few generations first, so JIT compilation and the engine's first calls are not timed. */
    public static void warmUp(CausalLm model, int[] prompt, int decodeTokens) {
        int budget = Math.min(decodeTokens, model.maxContext() - prompt.length);
        Generator g = new Generator(model, -1);
        for (int i = 0; i < 3; i++) {
            g.generate(prompt, SamplingConfig.greedyFixedLength(budget), t -> { }, TaskControl.none());
        }
    }
}
