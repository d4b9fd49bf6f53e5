package org.slmworkbench.ui;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slmworkbench.TaskControl;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.bench.Benchmark;
import org.slmworkbench.bench.CodeMetrics;
import org.slmworkbench.bench.ProcessMemory;
import org.slmworkbench.bench.QualityWindows;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.ModelExport;
import org.slmworkbench.compress.Calibration;
import org.slmworkbench.compress.CompactWeights;
import org.slmworkbench.compress.CompressedModel;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.compress.Compressor;
import org.slmworkbench.data.DataOptions;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.Document;
import org.slmworkbench.data.TextDataset;
import org.slmworkbench.generate.Generation;
import org.slmworkbench.generate.Generator;
import org.slmworkbench.generate.SamplingConfig;
import org.slmworkbench.generate.TokenEvent;
import org.slmworkbench.lora.AdapterFolder;
import org.slmworkbench.lora.PeftAdapter;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.Engines;
import org.slmworkbench.train.TokenStreams;

/**
 * The models and data behind the window: the base model, its current compressed copy, the chosen
 * dataset and what measurements run on. Only the engine thread calls it (see {@link EngineQueue}),
 * so a model is never closed while it runs. No JavaFX here.
 */
final class EngineState implements AutoCloseable {
    /** Quick figures on every slider move: decode first, then quality refined window by window up to these tokens. */
    static final Benchmark.Options QUICK = new Benchmark.Options(1024, 16, 1, false);
    /** Tokens of the first decode figure: three seconds at a billion parameters on one core; re-timed with {@code QUICK}'s after quality. */
    private static final int FIRST_DECODE_TOKENS = 5;
    /** The "Measure" button: more tokens, repeats, and the anomaly AUC when the data has labels. */
    static final Benchmark.Options FULL = new Benchmark.Options(4096, 64, 3, false);
    /**
     * The quick decode figures start from this many prompt tokens: one, because a longer prompt is
     * read by a multi-token pass, which widens every 16-bit matrix first (1.6 s at TinyLlama's size
     * on one core, more than the five tokens timed), while decode speed hardly depends on it.
     */
    private static final int QUICK_PROMPT = 1;
    private static final double HELDOUT_FRACTION = 0.1;
    private static final int CALIBRATION_FILES = 16;
    private static final int CALIBRATION_CHARS_PER_FILE = 32_000;
    private static final int PREVIEW_LINES = 12;

    private final NDManager root = NDManager.newBaseManager();
    private LoadedLm base;
    /** The adapter opened over the base, or null; with a compressed setting, merged into each copy at {@code adapterSetting}. */
    private PeftAdapter.Saved adapter;
    private CompressionConfig adapterSetting;
    private CompressedModel compressed;
    private List<Path> dataPaths;
    private TextDataset data;
    private Benchmark.Inputs inputs;
    private Benchmark.Inputs fullInputs;
    private Calibration calibration;
    private QualityWindows quality;
    private final CompactWeights.SizeCache sizes = new CompactWeights.SizeCache();
    /** The base's speed figures from its latest timing (quality comes per move, over the same windows as the copy's). */
    private Benchmark.DecodeTiming baseTiming;

    ModelInfo load(Path dir) throws IOException {
        return load(dir, null);
    }

    /**
     * Loads a model, with a LoRA adapter folder over it if {@code adapterDir} is given (the same
     * engine code as the command line's {@code --adapter}): an adapter trained on the uncompressed
     * base is merged into the base; one trained on a compressed setting is checked on a copy
     * compressed so now, and merged into the copy whenever the setting is that one. When anything
     * fails, the current model stays.
     */
    ModelInfo load(Path dir, Path adapterDir) throws IOException {
        LoadedLm next = CheckpointLoader.load(dir, root);
        PeftAdapter.Saved saved = null;
        CompressionConfig setting = null;
        try {
            if (adapterDir != null) {
                saved = AdapterFolder.read(adapterDir);
                setting = AdapterFolder.trainedOn(saved);
                if (setting.isNone()) {
                    AdapterFolder.mergeInto(next.model(), saved);
                } else {
                    try (CompressedModel copy = Compressor.compress(next.model(), setting, next.model().manager(),
                            data == null ? null : calibration(next), TaskControl.none())) {
                        AdapterFolder.mergeInto(copy.model(), saved);
                    }
                }
            }
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        closeModels();
        base = next;
        adapter = saved;
        adapterSetting = setting;
        if (data != null) {
            prepareInputs();
        }
        CausalLm m = base.model();
        String card = Files.isRegularFile(dir.resolve(ModelDirectory.CARD)) ? Files.readString(dir.resolve(ModelDirectory.CARD)) : "";
        return new ModelInfo(dir, m.architecture(), m.parameterCount(), ModelDirectory.storedDtype(dir) + ", " + m.matrixPrecision().label()
                + " in memory", ModelDirectory.sizeOnDisk(dir), m.numLayers(),
                m.maxContext(), card, m.matrixPrecision().bitsLabel(), m.config(), m.weightBytes(), m.matrixPrecision().needsWidening(),
                saved == null ? null : new ModelInfo.Adapter(adapterDir, AdapterFolder.describe(saved), setting));
    }

    DatasetInfo useDataset(List<Path> paths, DataOptions options) {
        TextDataset loaded = DatasetLoader.load(paths, HELDOUT_FRACTION, options);
        dataPaths = paths;
        data = loaded;
        if (base != null) {
            prepareInputs();
        }
        Path first = data.heldout().isEmpty() ? data.train().get(0).source() : data.heldout().get(0).source();
        String name = paths.size() == 1 ? paths.get(0).getFileName().toString() : paths.size() + " inputs";
        return new DatasetInfo(name, DatasetLoader.preview(first, PREVIEW_LINES, options), files(data.train()), data.trainChars(),
                files(data.heldout()), data.heldoutChars(), fullInputs != null && fullInputs.labelled() != null, promptPrefix(data));
    }

    LoadedLm base() {
        return base;
    }

    /** The base model's quick figures. */
    BenchResult measureBase(TaskControl control) throws IOException {
        return compress(CompressionConfig.NONE, control).base();
    }

    /**
     * Base and compressed figures as far as they are measured, so their speeds compare under the
     * same conditions; quality figures cover the same held-out windows on both sides, with their
     * 95% intervals.
     */
    record Measured(BenchResult base, BenchResult compressed, QualityWindows.Figures baseQuality, QualityWindows.Figures quality) {}

    /** {@link #compress(CompressionConfig, TaskControl, EngineTask.Progress, Consumer)} without partial figures. */
    Measured compress(CompressionConfig config, TaskControl control) throws IOException {
        return compress(config, control, (f, m) -> { }, m -> { });
    }

    /**
     * Replaces the compressed copy by one with {@code config} and measures it progressively, handing
     * {@code partial} the figures known after each step: sizes and layers at once, then the copy's
     * decode speed (the first measured figure, within seconds at a billion parameters), the base's
     * re-timed beside it, then perplexity and agreement window by window, the compact file sizes
     * after the first window. The next move cancels between steps.
     */
    Measured compress(CompressionConfig config, TaskControl control, EngineTask.Progress progress, Consumer<Measured> partial)
            throws IOException {
        closeCompressed();
        if (baseTiming == null) {
            progress.report(-1, "Warming up the engine on " + base.directory().getFileName() + "…");
            // the first figures must not pay for the JIT's and the engine's warm-up
            Benchmark.warmUp(base.model(), quickPrompt(), FIRST_DECODE_TOKENS);
        }
        control.checkpoint();
        CausalLm model = base.model();
        long compressMs = 0;
        if (!config.isNone()) {
            progress.report(-1, "Compressing " + config.toCompactString() + "…");
            compressed = Compressor.compress(base.model(), config, base.model().manager(), calibration, control);
            model = compressed.model();
            if (adapter != null && !adapterSetting.isNone()
                    && adapterSetting.toCompactString().equals(config.withoutExitThreshold().toCompactString())) {
                AdapterFolder.mergeInto(model, adapter);
            }
            compressMs = compressed.compressMillis();
        }
        Step step = new Step(config, model, compressMs, partial);
        step.publish();
        control.checkpoint();
        progress.report(-1, "Timing decode…");
        step.timeDecode(FIRST_DECODE_TOKENS, control);
        int windows = Math.min(quality.windows(), Math.max(1, QUICK.maxEvalTokens() / QualityWindows.WINDOW));
        for (int w = 0; w < windows; w++) {
            control.checkpoint();
            progress.report((double) w / windows, "Scoring held-out window " + (w + 1) + " of " + windows + "…");
            step.scoreWindow(w, control);
            if (w == 0) {
                control.checkpoint();
                progress.report(1.0 / windows, "Counting the compact file's size…");
                step.base = step.base.withCompact(ModelDirectory.compactFileSize(base.model(), sizes));
                step.now = model == base.model() ? step.now.withCompact(step.base.compactFileBytes())
                        : step.now.withCompact(ModelDirectory.compactFileSize(model, sizes));
            }
            step.publish();
        }
        // the first decode figures rested on a few tokens: now that quality is in, time both on more
        control.checkpoint();
        progress.report(1, "Re-timing decode on " + QUICK.decodeTokens() + " tokens…");
        step.timeDecode(QUICK.decodeTokens(), control);
        return step.measured();
    }

    /** One move's figures so far. */
    private final class Step {
        final CompressionConfig config;
        final CausalLm model;
        final Consumer<Measured> partial;
        final QualityWindows.Tally baseTally = new QualityWindows.Tally();
        final QualityWindows.Tally tally = new QualityWindows.Tally();
        BenchResult base;
        BenchResult now;

        Step(CompressionConfig config, CausalLm model, long compressMs, Consumer<Measured> partial) {
            this.config = config;
            this.model = model;
            this.partial = partial;
            base = computed("Base", CompressionConfig.NONE, base().model(), 0);
            if (baseTiming != null) {
                base = baseTiming.applyTo(base);
            }
            now = config.isNone() ? base : computed(config.toCompactString(), config, model, compressMs);
        }

        /** The copy's decode figure first (published on its own), then the base's beside it; a quick timing of {@code tokens}. */
        void timeDecode(int tokens, TaskControl control) {
            if (!config.isNone()) {
                now = timing(model, config.exitThreshold(), tokens, control).applyTo(now);
                publish();
                control.checkpoint();
            }
            baseTiming = timing(base().model(), 0, tokens, control);
            base = baseTiming.applyTo(base);
            now = config.isNone() ? baseTiming.applyTo(now) : now;
            publish();
        }

        void scoreWindow(int w, TaskControl control) {
            quality.score(base().model(), w, baseTally, control);
            quality.score(model, w, tally, control);
            base = withFigures(base, baseTally.figures(), false);
            now = withFigures(now, tally.figures(), true);
        }

        void publish() {
            partial.accept(measured());
        }

        Measured measured() {
            return new Measured(base, now, baseTally.figures(), tally.figures());
        }
    }

    private static BenchResult computed(String name, CompressionConfig config, CausalLm model, long compressMs) {
        return BenchResult.computed(name, config.toCompactString(), Engines.threads(), config.effectiveExitLayer(model.numLayers()),
                model.weightBytes(), ProcessMemory.rssBytes(), ModelDirectory.denseFileSize(model), compressMs);
    }

    private static BenchResult withFigures(BenchResult r, QualityWindows.Figures f, boolean agreement) {
        return r.withQuality(f.perplexity().value(), f.nextTokenAccuracy(), agreement ? f.top1Agreement().value() : 1,
                agreement ? f.meanKl().value() : 0);
    }

    /** A quick decode figure: {@code tokens} from a short prompt, no untimed run (the engine was warmed on the base). */
    private Benchmark.DecodeTiming timing(CausalLm model, double exitThreshold, int tokens, TaskControl control) {
        return Benchmark.timeDecode(model, quickPrompt(), tokens, QUICK.repeats(), false, exitThreshold, control);
    }

    private int[] quickPrompt() {
        return java.util.Arrays.copyOf(inputs.prompt(), Math.min(QUICK_PROMPT, inputs.prompt().length));
    }

    /**
     * The current setting measured thoroughly, with progress: decode with repeats, quality over
     * more held-out windows (base beside it over the same ones), compact size, and the anomaly AUC
     * on labelled data and the code columns on Python.
     */
    Measured measureFull(CompressionConfig config, TaskControl control, EngineTask.Progress progress) throws IOException {
        CausalLm model = current();
        Step step = new Step(config, model, compressed == null ? 0 : compressed.compressMillis(), m -> { });
        int windows = Math.max(1, Math.min(quality.windows(), FULL.maxEvalTokens() / QualityWindows.WINDOW));
        boolean extra = fullInputs.labelled() != null || fullInputs.code() != null;
        // shares of the time, for the progress bar and its estimate of what is left
        double decodeShare = 0.15;
        double extraShare = extra ? 0.2 : 0;
        progress.report(0, "Timing decode (" + FULL.repeats() + " × " + FULL.decodeTokens() + " tokens)…");
        step.now = Benchmark.timeDecode(model, inputs.prompt(), FULL, config.exitThreshold(), control).applyTo(step.now);
        for (int w = 0; w < windows; w++) {
            control.checkpoint();
            progress.report(decodeShare + (1 - decodeShare - extraShare) * w / windows, "Scoring held-out window " + (w + 1) + " of "
                    + windows + "…");
            step.scoreWindow(w, control);
        }
        control.checkpoint();
        step.now = step.now.withCompact(ModelDirectory.compactFileSize(model, sizes));
        if (fullInputs.labelled() != null) {
            progress.report(1 - extraShare, "Scoring the labelled lines for the anomaly AUC…");
            step.now = step.now.withAnomalyAuc(Benchmark.anomalyAuc(model, base.tokenizer(), fullInputs.labelled()));
        }
        if (fullInputs.code() != null) {
            control.checkpoint();
            progress.report(1 - extraShare / 2, "Generating code for the code columns…");
            step.now = step.now.withCode(CodeMetrics.measure(model, base.tokenizer(), base.eosId(), fullInputs.code(), control));
        }
        step.now = step.now.withQualityAgainst(step.base.perplexity());
        progress.report(1, "Measured");
        return step.measured();
    }

    /**
     * Generates from the prompt with the base and the compressed model in turns, one token each,
     * so both are timed on an otherwise idle engine; {@code onToken} gets (side is compressed, event).
     */
    SideBySideRun sideBySide(String prompt, SamplingConfig sampling, double exitThreshold, BiConsumer<Boolean, TokenEvent> onToken,
            TaskControl control) {
        int[] ids = base.tokenizer().encode(prompt.isEmpty() ? "\n" : prompt);
        int eos = base.eosId();
        try (Generation left = new Generator(base.model(), eos).start(ids, sampling);
                Generation right = new Generator(current(), eos, compressed == null ? 0 : exitThreshold).start(ids, sampling)) {
            try {
                while (!left.isDone() || !right.isDone()) {
                    control.checkpoint();
                    TokenEvent a = left.step();
                    if (a != null) {
                        onToken.accept(false, a);
                    }
                    TokenEvent b = right.step();
                    if (b != null) {
                        onToken.accept(true, b);
                    }
                }
            } catch (java.util.concurrent.CancellationException e) {
                left.cancel();
                right.cancel();
            }
            return new SideBySideRun(left.result(), right.result());
        }
    }

    /** Turns the base tokenizer's ids into text deltas as they come (whole characters only). */
    org.slmworkbench.generate.TextStream textStream() {
        return new org.slmworkbench.generate.TextStream(base.tokenizer());
    }

    long export(CompressionConfig config, ModelExport.Format format, Path out, String measured) throws IOException {
        return export(config, format, out, measured, TaskControl.none(), (f, m) -> { });
    }

    /** The same with progress by the weights' bytes; a cancel between tensors leaves nothing behind. */
    long export(CompressionConfig config, ModelExport.Format format, Path out, String measured, TaskControl control,
            EngineTask.Progress progress) throws IOException {
        String what = "Writing " + out.getFileName() + " (" + format.id() + ")";
        return ModelExport.write(base.directory(), current(), config, format, out, measured, "exported from the SLM Workbench window",
                fraction -> {
                    control.checkpoint();
                    progress.report(fraction, what);
                });
    }

    /** The model the current setting makes: the compressed copy, or the base. */
    CausalLm current() {
        return compressed == null ? base.model() : compressed.model();
    }

    private void prepareInputs() {
        baseTiming = null;
        int[] heldout = TokenStreams.of(data.heldout(), base.tokenizer());
        inputs = Benchmark.inputs(base, heldout, null, null, QUICK);
        quality = new QualityWindows(base.model(), java.util.Arrays.copyOf(heldout, Math.min(heldout.length, FULL.maxEvalTokens() + 1)));
        Benchmark.LabelledLines labels = dataPaths.size() == 1 && Files.isDirectory(dataPaths.get(0))
                ? Benchmark.labelledLines(dataPaths.get(0)) : null;
        // the full measurement adds what takes longer: anomaly AUC on labelled logs, the code columns on Python
        fullInputs = Benchmark.inputs(base, heldout, labels, Benchmark.codeSetup(data.heldout(), false), FULL);
        calibration = calibration(base);
    }

    /** Wanda's calibration text for {@code model}: the start of every training file (not the first alone), so it sees each kind of text. */
    private Calibration calibration(LoadedLm model) {
        List<Document> starts = data.train().stream().limit(CALIBRATION_FILES)
                .map(d -> new Document(d.source(), d.text().substring(0, Math.min(d.text().length(), CALIBRATION_CHARS_PER_FILE))))
                .toList();
        return new Calibration(TokenStreams.of(starts, model.tokenizer()));
    }

    private static int files(List<Document> docs) {
        return (int) docs.stream().map(Document::source).distinct().count();
    }

    /** The first half of the first held-out line: a real log prefix for the model to continue. */
    private static String promptPrefix(TextDataset data) {
        String text = (data.heldout().isEmpty() ? data.train() : data.heldout()).get(0).text();
        String line = text.lines().filter(l -> !l.isBlank()).findFirst().orElse(text);
        return line.substring(0, Math.max(1, Math.min(line.length(), Math.max(16, line.length() / 2))));
    }

    private void closeCompressed() {
        if (compressed != null) {
            compressed.close();
            compressed = null;
        }
    }

    private void closeModels() {
        closeCompressed();
        if (base != null) {
            base.close();
            base = null;
        }
        adapter = null;
        adapterSetting = null;
        baseTiming = null;
        quality = null;
        inputs = null;
        fullInputs = null;
    }

    @Override
    public void close() {
        closeModels();
        root.close();
    }
}
