package org.slmworkbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.TaskControl;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.checkpoint.GptFolders;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.ModelExport;
import org.slmworkbench.io.GgufReader;
import org.slmworkbench.io.GgufType;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.generate.GenerationResult;
import org.slmworkbench.generate.SamplingConfig;
import org.slmworkbench.io.TensorDType;

/** The window's engine side on the shipped model and sample logs, without a window. */
class EngineStateTest {
    private static EngineState state;
    private static ModelInfo model;
    private static DatasetInfo dataset;

    @BeforeAll
    static void load() throws Exception {
        state = new EngineState();
        model = state.load(Path.of("models/loglm-tiny"));
        dataset = state.useDataset(List.of(Path.of("sample-logs")), org.slmworkbench.data.DataOptions.DEFAULTS);
    }

    @AfterAll
    static void close() {
        state.close();
    }

    @Test
    void describesModelAndDataset() {
        assertEquals("loglm-tiny", model.name());
        assertEquals(1_967_808, model.parameters());
        assertEquals("f32, f32 in memory", model.dtype());
        assertEquals(4, model.layers());
        assertTrue(model.card().contains("loglm-tiny"));
        assertTrue(dataset.labelled());
        assertEquals(5, dataset.trainFiles());
        assertEquals(5, dataset.heldoutFiles());
        assertFalse(dataset.preview().isEmpty());
        assertTrue(dataset.preview().get(0).startsWith(dataset.promptPrefix()));
    }

    @Test
    void eachSettingChangesWhatItShould() throws Exception {
        BenchResult base = state.measureBase(TaskControl.none());
        BenchResult shared = state.compress(CompressionConfig.parse("share=16"), TaskControl.none()).compressed();
        EngineState.Measured exitBoth = state.compress(CompressionConfig.parse("exit=2"), TaskControl.none());
        BenchResult exit = exitBoth.compressed();
        BenchResult pruned = state.compress(CompressionConfig.parse("prune=0.5"), TaskControl.none()).compressed();
        // the base is re-timed beside each setting; its quality figures stay
        assertEquals(base.perplexity(), exitBoth.base().perplexity());
        assertEquals("none", exitBoth.base().config());
        assertTrue(shared.compactFileBytes() < 0.2 * base.compactFileBytes(), shared + " vs " + base);
        assertTrue(exit.weightsBytes() < base.weightsBytes());
        assertTrue(pruned.meanKl() > 1e-3 && base.meanKl() < 1e-6, pruned.meanKl() + " vs " + base.meanKl());
        assertTrue(pruned.top1Agreement() < 1.0 && base.top1Agreement() == 1.0);
        assertEquals("prune=0.5:magnitude", pruned.config());
        for (BenchResult r : List.of(base, shared, exit, pruned)) {
            System.out.printf("%s compress %d ms, %.1f tok/s, ppl %.3f%n", r.config(), r.compressMs(), r.tokensPerS(), r.perplexity());
        }
    }

    @Test
    void aMoveShowsSizesAtOnceThenDecodeThenQualityWindowByWindow() throws Exception {
        List<EngineState.Measured> seen = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        EngineState.Measured last = state.compress(CompressionConfig.parse("prune=0.5:structured"), TaskControl.none(),
                (fraction, message) -> steps.add(message), seen::add);
        BenchResult first = seen.get(0).compressed();
        assertTrue(first.weightsBytes() > 0 && first.denseFileBytes() > 0, "sizes come before anything runs");
        assertTrue(Double.isNaN(first.decodeMsPerTokenP50()) && Double.isNaN(first.perplexity()) && first.compactFileBytes() < 0);
        int decoded = indexOf(seen, m -> !Double.isNaN(m.compressed().decodeMsPerTokenP50()));
        int scored = indexOf(seen, m -> m.quality().tokens() > 0);
        assertTrue(decoded > 0 && scored > decoded, "decode " + decoded + ", then quality " + scored);
        assertEquals(0, seen.get(decoded).quality().tokens(), "the decode figure does not wait for quality");
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).quality().tokens() >= seen.get(i - 1).quality().tokens());
            assertEquals(seen.get(i).quality().tokens(), seen.get(i).baseQuality().tokens(), "both sides over the same windows");
        }
        assertEquals(last.quality().tokens(), seen.get(seen.size() - 1).quality().tokens());
        assertTrue(last.quality().tokens() > seen.get(scored).quality().tokens(), "later windows refine the first");
        assertTrue(last.compressed().compactFileBytes() > 0 && last.base().compactFileBytes() > last.compressed().compactFileBytes());
        assertTrue(steps.stream().anyMatch(m -> m.startsWith("Scoring held-out window 1 of ")), steps.toString());
    }

    private static int indexOf(List<EngineState.Measured> seen, java.util.function.Predicate<EngineState.Measured> p) {
        for (int i = 0; i < seen.size(); i++) {
            if (p.test(seen.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aBadFolderIsRefusedAndTheModelStays(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": ");
        org.slmworkbench.BadInputException e = assertThrows(org.slmworkbench.BadInputException.class, () -> state.load(tmp));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
        assertEquals("none", state.compress(CompressionConfig.NONE, TaskControl.none()).compressed().config());
    }

    @Test
    void aGptBigCodeFolderOpensCompressesAndExports(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("starcoder");
        GptFolders.write(dir, GptFolders.bigCode(true), TensorDType.BF16, 3);
        Path log = Files.writeString(tmp.resolve("app.log"), TinyModels.logText(200));
        try (EngineState gpt = new EngineState()) {
            ModelInfo info = gpt.load(dir);
            assertEquals("GPTBigCodeForCausalLM", info.architecture());
            assertEquals("bf16, bf16 in memory", info.dtype());
            gpt.useDataset(List.of(log), org.slmworkbench.data.DataOptions.DEFAULTS);
            EngineState.Measured m = gpt.compress(CompressionConfig.parse("prune=0.5:structured,share=16"), TaskControl.none());
            assertTrue(m.compressed().weightsBytes() < m.base().weightsBytes(), m.compressed() + " vs " + m.base());
            assertTrue(m.compressed().compactFileBytes() < m.base().compactFileBytes());
            gpt.export(CompressionConfig.parse("prune=0.5:structured,share=16"), ModelExport.Format.COMPACT, tmp.resolve("out"), "");
            assertTrue(gpt.load(tmp.resolve("out")).parameters() < info.parameters(), "the compact export reopens, smaller");
        }
    }

    @Test
    void cancelStopsAMeasurement() {
        TaskControl control = new TaskControl();
        control.cancel();
        assertThrows(CancellationException.class, () -> state.compress(CompressionConfig.parse("share=8"), control));
    }

    @Test
    void sideBySideTakesTurnsAndIsRepeatable() throws Exception {
        state.compress(CompressionConfig.parse("prune=0.3"), TaskControl.none());
        SamplingConfig sampling = new SamplingConfig(12, 0.8, 40, 0.95, 7, false);
        List<Boolean> order = new ArrayList<>();
        SideBySideRun one = state.sideBySide(dataset.promptPrefix(), sampling, 0, (side, e) -> order.add(side), TaskControl.none());
        SideBySideRun two = state.sideBySide(dataset.promptPrefix(), sampling, 0, (side, e) -> { }, TaskControl.none());
        assertEquals(12, one.base().newIds().length);
        assertEquals(12, one.compressed().newIds().length);
        assertEquals(List.of(false, true, false, true), order.subList(0, 4));
        assertEquals(java.util.Arrays.toString(one.compressed().newIds()), java.util.Arrays.toString(two.compressed().newIds()));
        assertEquals(GenerationResult.StopReason.MAX_TOKENS, one.base().stopReason());
    }

    @Test
    void exportWritesALoadableModel(@TempDir Path tmp) throws Exception {
        state.compress(CompressionConfig.parse("share=16"), TaskControl.none());
        long bytes = state.export(CompressionConfig.parse("share=16"), ModelExport.Format.COMPACT, tmp.resolve("out"), "| measured |");
        assertEquals(ModelDirectory.sizeOnDisk(tmp.resolve("out")), bytes);
        assertTrue(Files.readString(tmp.resolve("out/README.md")).contains("share=16"));
        try (EngineState other = new EngineState()) {
            assertEquals(1_967_808, other.load(tmp.resolve("out")).parameters());
        }
    }

    /** The window exports GGUF too, at the precision the model is held at, with the setting's measured figures on the card. */
    @Test
    void exportWritesAGgufForLlamaCpp(@TempDir Path tmp) throws Exception {
        state.compress(CompressionConfig.parse("exit=2"), TaskControl.none());
        state.export(CompressionConfig.parse("exit=2"), ModelExport.Format.GGUF, tmp.resolve("g"), "| measured |");
        assertTrue(Files.readString(tmp.resolve("g/README.md")).contains("| measured |"));
        assertTrue(Files.readString(tmp.resolve("g/Modelfile")).startsWith("FROM ./g.gguf\n"));
        try (GgufReader gguf = GgufReader.open(tmp.resolve("g/g.gguf"))) {
            assertEquals(2, gguf.metadata().get("llama.block_count").asLong(), "the exit keeps two blocks");
            assertEquals(GgufType.F32, gguf.get("blk.1.ffn_up.weight").type(), "loglm-tiny is held in f32");
        }
    }
}
