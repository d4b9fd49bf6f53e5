package org.slmworkbench.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;
import org.slmworkbench.TaskControl;
import org.slmworkbench.bench.Evaluator;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.cli.WorkbenchCli;
import org.slmworkbench.compress.CompressedModel;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.compress.Compressor;
import org.slmworkbench.data.DataOptions;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.TextDataset;
import org.slmworkbench.lora.AdapterFolder;
import org.slmworkbench.lora.LoraConfig;
import org.slmworkbench.lora.LoraFixtures;
import org.slmworkbench.lora.LoraModel;
import org.slmworkbench.lora.PeftAdapter;
import org.slmworkbench.model.CausalLm;

/** The window's engine with a base plus an adapter folder: the model the command line's --adapter makes, and clear refusals. */
class EngineAdapterTest {
    private static final CompressionConfig PRUNED = CompressionConfig.parse("prune=0.5");
    @TempDir Path tmp;
    private Path base;
    private Path data;
    private EngineState state;

    @BeforeEach
    void setUp() throws Exception {
        base = tmp.resolve("base");
        TinyModels.write(base, 4);
        data = Files.writeString(tmp.resolve("logs.log"), TinyModels.logText(400));
        state = new EngineState();
        state.useDataset(List.of(data), DataOptions.DEFAULTS);
    }

    @AfterEach
    void tearDown() {
        state.close();
    }

    @Test
    void anAdapterOnTheUncompressedBaseGivesTheCommandLinesModelAndFigures() throws Exception {
        Path adapter = adapter("plain", CompressionConfig.NONE, 31);
        ModelInfo info = state.load(base, adapter);
        assertEquals(adapter, info.adapter().dir());
        assertTrue(info.adapter().setting().isNone());
        String line = ModelPanelViewModel.describe(info);
        assertTrue(line.contains("+ adapter plain/adapter: LoRA r=4, alpha=8, q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj,"
                + " trained on the base uncompressed (merged into the base)"), line);
        float[] window = logits(state.base().model());
        try (NDManager m = NDManager.newBaseManager(); LoadedLm cli = CheckpointLoader.load(base, m)) {
            assertFalse(Arrays.equals(logits(cli.model()), window), "the adapter changes the model");
            AdapterFolder.mergeInto(cli.model(), AdapterFolder.read(adapter));
            assertArrayEquals(logits(cli.model()), window);
        }
        assertEquals(cliHeldout("eval", "--model", base.toString(), "--data", data.toString(), "--decode-tokens", "2", "--adapter",
                adapter.toString()), heldout(state.base().model()));
        // the base column is base + adapter: its figures are the adapted model's
        assertTrue(state.measureBase(TaskControl.none()).perplexity() > 0);
    }

    @Test
    void anAdapterOnACompressedBaseAppliesToTheCopyAtItsSettingOnly() throws Exception {
        Path adapter = adapter("pruned", PRUNED, 32);
        float[] plainBase;
        try (NDManager m = NDManager.newBaseManager(); LoadedLm plain = CheckpointLoader.load(base, m)) {
            plainBase = logits(plain.model());
        }
        ModelInfo info = state.load(base, adapter);
        assertEquals(PRUNED, info.adapter().setting());
        assertArrayEquals(plainBase, logits(state.base().model()), "the base stays as its folder has it");

        state.compress(PRUNED, TaskControl.none());
        float[] window = logits(state.current());
        try (NDManager m = NDManager.newBaseManager(); LoadedLm cli = CheckpointLoader.load(base, m);
                CompressedModel copy = Compressor.compress(cli.model(), PRUNED, m)) {
            float[] withoutAdapter = logits(copy.model());
            assertFalse(Arrays.equals(withoutAdapter, window), "the copy at the adapter's setting has the adapter");
            AdapterFolder.mergeInto(copy.model(), AdapterFolder.read(adapter));
            assertArrayEquals(logits(copy.model()), window);
        }
        assertEquals(cliHeldout("eval", "--model", base.toString(), "--data", data.toString(), "--decode-tokens", "2", "--compression",
                "prune=0.5", "--adapter", adapter.toString()), heldout(state.current()));

        CompressionConfig other = CompressionConfig.parse("prune=0.3");
        state.compress(other, TaskControl.none());
        try (NDManager m = NDManager.newBaseManager(); LoadedLm cli = CheckpointLoader.load(base, m);
                CompressedModel copy = Compressor.compress(cli.model(), other, m)) {
            assertArrayEquals(logits(copy.model()), logits(state.current()), "another setting's copy is without the adapter");
        }
    }

    @Test
    void aBadFolderOrAnotherBasesAdapterIsOneMessageAndTheModelStays() throws Exception {
        Path other = tmp.resolve("other");
        TinyModels.write(other, 5);
        state.load(other);
        Path notAdapter = Files.createDirectories(tmp.resolve("empty"));
        BadInputException e = assertThrows(BadInputException.class, () -> state.load(base, notAdapter));
        assertTrue(e.getMessage().contains(notAdapter.toString()) && e.getMessage().contains("is not a LoRA adapter folder"), e.getMessage());

        Path wider = tmp.resolve("wider");
        try (NDManager m = NDManager.newBaseManager();
                org.slmworkbench.model.LlamaModel w = TinyModels.random(new org.slmworkbench.model.LlamaConfig(48, 64, 2, 4, 2, 12, 1e-5,
                        10000, 64, TinyModels.tokenizer().vocabSize(), true, 0, 0), m, 6);
                LoraModel lora = LoraModel.attach(w, LoraConfig.of(2, null, null), 1)) {
            PeftAdapter.writeInto(Files.createDirectories(wider), lora, "wider", "");
        }
        e = assertThrows(BadInputException.class, () -> state.load(base, wider));
        assertTrue(e.getMessage().contains(PeftAdapter.WEIGHTS) && e.getMessage().contains("do not fit"), e.getMessage());

        Path badSetting = adapter("bad", PRUNED, 33);
        Path config = badSetting.resolve(PeftAdapter.CONFIG);
        Files.writeString(config, Files.readString(config).replace("prune=0.5:magnitude", "prune=lots"));
        e = assertThrows(BadInputException.class, () -> state.load(base, badSetting));
        assertTrue(e.getMessage().contains(config.toString()) && e.getMessage().contains("records the compression setting 'prune=lots'"),
                e.getMessage());

        assertEquals(other, state.base().directory(), "the model loaded before stays");
        assertNull(state.load(base).adapter());
    }

    /** An adapter with random factors (B non-zero) for the base compressed as {@code setting}, as finetune --lora writes it. */
    private Path adapter(String name, CompressionConfig setting, long seed) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name).resolve(PeftAdapter.RUN_FOLDER));
        try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(base, m)) {
            CausalLm model = loaded.model();
            CompressedModel copy = setting.isNone() ? null : Compressor.compress(model, setting, m);
            try (LoraModel lora = LoraFixtures.withRandomFactors(
                    LoraModel.attach(copy == null ? model : copy.model(), LoraConfig.of(4, null, null), seed), seed)) {
                PeftAdapter.writeInto(dir, lora, "base", setting.isNone() ? "" : setting.toCompactString());
            } finally {
                if (copy != null) {
                    copy.close();
                }
            }
        }
        return dir;
    }

    private static float[] logits(CausalLm model) {
        try (NDManager m = model.manager().newSubManager()) {
            return model.forward(m.create(new long[] {3, 4, 5, 6, 7, 8}, new Shape(1, 6))).toFloatArray();
        }
    }

    /** The held-out loss line as eval prints it, of {@code model} on the test's data. */
    private String heldout(CausalLm model) {
        TextDataset ds = DatasetLoader.load(List.of(data), 0.1, DataOptions.DEFAULTS);
        return String.format(Locale.ROOT, "held-out loss        %.4f", Evaluator.evaluate(model, state.base().tokenizer(), ds.heldout(),
                200000, 2).heldoutLoss());
    }

    private static String cliHeldout(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            assertEquals(0, WorkbenchCli.newCommandLine().execute(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("held-out loss")).findFirst()
                .orElseThrow(() -> new AssertionError(out.toString(StandardCharsets.UTF_8)));
    }
}
