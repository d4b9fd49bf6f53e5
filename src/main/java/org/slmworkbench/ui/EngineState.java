package org.slmworkbench.ui;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.slmworkbench.TaskControl;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.bench.Benchmark;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.ModelExport;
import org.slmworkbench.compress.Calibration;
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
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.train.TokenStreams;

/**
 * The models and data behind the window: the base model, its current compressed copy, the chosen
 * dataset and what measurements run on. Only the engine thread calls it (see {@link EngineQueue}),
 * so a model is never closed while it runs. No JavaFX here.
 */
final class EngineState implements AutoCloseable {
    /** Quick figures on every slider move: small enough to finish within a second or two on a tiny model. */
    static final Benchmark.Options QUICK = new Benchmark.Options(1024, 24, 1, false);
    /** The "Measure" button: more tokens, repeats, and the anomaly AUC when the data has labels. */
    static final Benchmark.Options FULL = new Benchmark.Options(4096, 64, 3, false);
    private static final double HELDOUT_FRACTION = 0.1;
    private static final int CALIBRATION_FILES = 16;
    private static final int CALIBRATION_CHARS_PER_FILE = 32_000;
    private static final int PREVIEW_LINES = 12;

    private final NDManager root = NDManager.newBaseManager();
    private LoadedLm base;
    private CompressedModel compressed;
    private List<Path> dataPaths;
    private TextDataset data;
    private Benchmark.Inputs inputs;
    private Benchmark.Inputs fullInputs;
    private Calibration calibration;
    private BenchResult baseQuick;

    /** Loads a model; when that fails, the current one stays. */
    ModelInfo load(Path dir) throws IOException {
        LoadedLm next = CheckpointLoader.load(dir, root);
        closeModels();
        base = next;
        if (data != null) {
            prepareInputs();
        }
        CausalLm m = base.model();
        String card = Files.isRegularFile(dir.resolve(ModelDirectory.CARD)) ? Files.readString(dir.resolve(ModelDirectory.CARD)) : "";
        return new ModelInfo(dir, m.architecture(), m.parameterCount(), ModelDirectory.storedDtype(dir) + ", " + m.matrixPrecision().label()
                + " in memory", ModelDirectory.sizeOnDisk(dir), m.numLayers(),
                m.maxContext(), card);
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

    /** The base model's quick figures (measured once per model and dataset). */
    BenchResult measureBase(TaskControl control) throws IOException {
        if (baseQuick == null) {
            // the first figures must not pay for the JIT's and the engine's warm-up
            Benchmark.warmUp(base.model(), inputs.prompt(), QUICK.decodeTokens());
            control.checkpoint();
            baseQuick = Benchmark.measure(new Benchmark.Entry("Base", CompressionConfig.NONE), base, base.model(), 0, inputs, QUICK, control);
        }
        return baseQuick;
    }

    /** Base and compressed figures measured back to back, so their speeds compare under the same conditions. */
    record Measured(BenchResult base, BenchResult compressed) {}

    /**
     * Replaces the compressed copy by one with {@code config} and measures it quickly, re-timing the
     * base model's decoding right before it (its quality figures do not change and are kept).
     */
    Measured compress(CompressionConfig config, TaskControl control) throws IOException {
        closeCompressed();
        BenchResult baseNow = Benchmark.timeDecode(base.model(), inputs.prompt(), QUICK, 0, control).applyTo(measureBase(control));
        if (config.isNone()) {
            return new Measured(baseNow, baseNow);
        }
        control.checkpoint();
        compressed = Compressor.compress(base.model(), config, base.model().manager(), calibration, control);
        return new Measured(baseNow, Benchmark.measure(new Benchmark.Entry(config.toCompactString(), config), base, compressed.model(),
                compressed.compressMillis(), inputs, QUICK, control));
    }

    /** The current setting measured thoroughly: repeats, more tokens, anomaly AUC on labelled data. */
    BenchResult measureFull(CompressionConfig config, TaskControl control) throws IOException {
        CausalLm model = current();
        long compressMs = compressed == null ? 0 : compressed.compressMillis();
        String name = config.isNone() ? "Base" : config.toCompactString();
        BenchResult r = Benchmark.measure(new Benchmark.Entry(name, config), base, model, compressMs, fullInputs, FULL, control);
        return r.withQualityAgainst(measureBase(control).perplexity());
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
        return ModelExport.write(base.directory(), current(), config, format, out, measured, "exported from the SLM Workbench window");
    }

    private CausalLm current() {
        return compressed == null ? base.model() : compressed.model();
    }

    private void prepareInputs() {
        baseQuick = null;
        int[] heldout = TokenStreams.of(data.heldout(), base.tokenizer());
        inputs = Benchmark.inputs(base, heldout, null, null, QUICK);
        Benchmark.LabelledLines labels = dataPaths.size() == 1 && Files.isDirectory(dataPaths.get(0))
                ? Benchmark.labelledLines(dataPaths.get(0)) : null;
        // the full measurement adds what takes longer: anomaly AUC on labelled logs, the code columns on Python
        fullInputs = Benchmark.inputs(base, heldout, labels, Benchmark.codeSetup(data.heldout(), false), FULL);
        // the start of every training file (not the first file alone), so Wanda sees each kind of text
        List<Document> starts = data.train().stream().limit(CALIBRATION_FILES)
                .map(d -> new Document(d.source(), d.text().substring(0, Math.min(d.text().length(), CALIBRATION_CHARS_PER_FILE))))
                .toList();
        calibration = new Calibration(TokenStreams.of(starts, base.tokenizer()));
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
        baseQuick = null;
        inputs = null;
        fullInputs = null;
    }

    @Override
    public void close() {
        closeModels();
        root.close();
    }
}
