package org.slmworkbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.text.TextFlow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.lora.AdapterFolder;
import org.slmworkbench.lora.PeftAdapter;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the real window headless: the shipped model and sample logs, every slider dragged, both
 * sides generating, a fine-tune started and cancelled, an export re-loaded. Assertions are on the
 * measured values the window shows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchWindowTest {
    private static final FxRobot robot = new FxRobot();
    /** Runs from the first slider drag to the end of the fine-tune test. */
    private static FxThreadProbe probe;
    private static TestWindow window;
    private static Path models;
    private static MainController main;
    private static WorkbenchModel wb;

    @BeforeAll
    static void openWindow() throws Exception {
        // codelm-tiny sorts first, but the window opens on the log model
        window = TestWindow.open("loglm-tiny", "codelm-tiny");
        models = window.models();
        main = window.main();
        wb = window.wb();
    }

    @AfterAll
    static void close() throws Exception {
        window.close();
    }

    @Test
    @Order(1)
    void opensOnTheShippedModelAndSampleLogs() {
        assertEquals("loglm-tiny", wb.model.get().name());
        assertEquals(1_967_808, wb.model.get().parameters());
        assertEquals("none", wb.currentResult.get().config());
        BenchResult base = wb.baseResult.get();
        assertTrue(base.perplexity() > 1 && base.perplexity() < 10, "perplexity " + base.perplexity());
        assertTrue(base.tokensPerS() > 0);
        assertEquals("LlamaForCausalLM · 4 layers · 1,967,808 parameters · f32, f32 in memory · 7.9 MB on disk · context 128",
                label("#info").getText());
    }

    @Test
    @Order(2)
    void draggingEachSliderRemeasures() throws Exception {
        BenchResult base = wb.baseResult.get();
        probe = new FxThreadProbe();

        drag("#pruneSlider", 0.5);
        BenchResult pruned = settled();
        assertTrue(pruned.config().startsWith("prune=0."), pruned.config());
        double ratio = Double.parseDouble(pruned.config().substring(6, pruned.config().indexOf(':')));
        assertTrue(ratio >= 0.3 && ratio <= 0.6, pruned.config());
        assertTrue(pruned.top1Agreement() < 1 && pruned.meanKl() > 1e-3, "agreement " + pruned.top1Agreement());
        assertTrue(pruned.compactFileBytes() < 0.85 * base.compactFileBytes());
        assertEquals(pruned.config(), label("#configLabel").getText());
        // the quality figures carry their 95% interval and the tokens they rest on
        assertTrue(figure("Perplexity", 2).startsWith(String.format(java.util.Locale.ROOT, "%.3f ± ", pruned.perplexity())),
                figure("Perplexity", 2));
        assertTrue(robot.lookup("#figures").queryTableView().getItems().stream()
                .anyMatch(r -> ((FigureRow) r).figure().matches("Perplexity · \\d+ tok")));

        drag("#pruneSlider", -1);
        drag("#clustersSlider", 0.5);
        BenchResult shared = settled();
        assertTrue(shared.config().startsWith("share="), shared.config());
        assertTrue(shared.compactFileBytes() < 0.3 * base.compactFileBytes(), shared.compactFileBytes() + " vs " + base.compactFileBytes());

        drag("#clustersSlider", -1);
        drag("#exitSlider", -0.5);
        BenchResult exited = settled();
        assertTrue(exited.config().startsWith("exit="), exited.config());
        assertTrue(exited.weightsBytes() < base.weightsBytes());
        assertTrue(exited.perplexity() > base.perplexity());

        drag("#exitSlider", 1);
        drag("#thresholdSlider", 0.9);
        BenchResult dynamic = settled();
        assertTrue(dynamic.config().startsWith("exit=4@0."), dynamic.config());
        // confident tokens leave before the last layer; the base runs all four for every token
        assertEquals(4.0, base.meanExitLayer());
        assertTrue(dynamic.meanExitLayer() < 4, "layers per token " + dynamic.meanExitLayer());

        drag("#thresholdSlider", -1);
        assertEquals("none", settled().config());
    }

    @Test
    @Order(3)
    void bothSidesGenerateText() {
        drag("#pruneSlider", 0.7);
        settled();
        robot.clickOn("#generateButton");
        waitFor(60, () -> !main.sideBySide().viewModel().running.get() && !main.sideBySide().viewModel().baseTokens.isEmpty());
        SideBySideViewModel vm = main.sideBySide().viewModel();
        assertTrue(vm.baseTokens.size() > 1 && vm.baseTokens.size() <= vm.tokens.get(), vm.baseTokens.size() + " tokens");
        assertTrue(vm.compressedTokens.size() > 1 && vm.compressedTokens.size() <= vm.tokens.get(), vm.compressedTokens.size() + " tokens");
        assertFalse(vm.baseTokens.stream().map(TokenShown::text).reduce("", String::concat).isBlank());
        TextFlow base = robot.lookup("#baseOutput").queryAs(TextFlow.class);
        TextFlow compressed = robot.lookup("#compressedOutput").queryAs(TextFlow.class);
        assertEquals(vm.baseTokens.size() + 1, base.getChildren().size());
        assertEquals(vm.compressedTokens.size() + 1, compressed.getChildren().size());
        assertTrue(label("#baseSpeed").getText().matches("\\d+ tokens/s"), label("#baseSpeed").getText());
        assertTrue(label("#compressedSpeed").getText().matches("\\d+ tokens/s"), label("#compressedSpeed").getText());
        if (vm.divergence.get() >= 0) {
            assertTrue(base.getChildren().get(vm.divergence.get() + 1).getStyleClass().contains("diverged"));
        }
        // the live chart got every token of both sides
        assertEquals(vm.baseTokens.size(), ((org.jfree.chart.plot.CombinedDomainXYPlot) main.charts().live().chart().getXYPlot())
                .getSubplots().get(0).getDataset().getItemCount(0));
        // the same seed gives the same text again
        List<Integer> first = vm.compressedTokens.stream().map(TokenShown::tokenId).toList();
        robot.clickOn("#generateButton");
        waitFor(60, () -> !main.sideBySide().viewModel().running.get() && vm.compressedTokens.size() == first.size());
        assertEquals(first, vm.compressedTokens.stream().map(TokenShown::tokenId).toList());
    }

    @Test
    @Order(4)
    void fineTuneStartsAndCancelsLeavingALoadableCheckpoint() throws Exception {
        FineTuneViewModel vm = main.fineTune().viewModel();
        robot.clickOn("Fine-tune");
        robot.interact(() -> main.fineTune().stepsSpinner().getValueFactory().setValue(100));
        assertEquals(100, vm.steps.get());
        String name = vm.outName.get();
        robot.clickOn("#startFineTuneButton");
        // past the first checkpoint (every 25 steps), and recompressing meanwhile
        waitFor(180, () -> vm.progress.get() >= 0.3 || !vm.running.get());
        assertTrue(vm.running.get(), vm.progressText.get());
        drag("#pruneSlider", 0.3);
        settled();
        robot.clickOn("#cancelFineTuneButton");
        waitFor(60, () -> !vm.running.get());
        probe.close();
        System.out.printf("FX thread over %d probes (slider drags, recompression, generation, fine-tune): longest busy %.1f ms,"
                + " longest wall-clock wait %.1f ms%n", probe.samples(), probe.maxBusyMillis(), probe.maxWaitMillis());
        assertTrue(probe.samples() > 1000, probe.samples() + " probes");
        assertTrue(probe.maxBusyMillis() < 100, "the FX thread was busy for " + probe.maxBusyMillis() + " ms while work waited");
        assertTrue(vm.progressText.get().startsWith("Cancelled"), vm.progressText.get());
        Path out = models.resolve(name);
        assertTrue(wb.models.contains(out), wb.models + " has no " + out);
        assertEquals(3, wb.models.size(), wb.models.toString());
        assertEquals(ModelDirectory.readConfig(Path.of("models/loglm-tiny")), ModelDirectory.readConfig(out));
        assertTrue(main.fineTune().losses.chart().getXYPlot().getDataset().getItemCount(0) > 0);
    }

    @Test
    @Order(5)
    void exportWritesAModelThatLoadsBack() {
        drag("#clustersSlider", 0.5);
        BenchResult shared = settled();
        robot.clickOn("#exportButton");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.Parent dialog = robot.window("Export model").getScene().getRoot();
        Path out = models.resolve("exported");
        TextField folder = robot.from(dialog).lookup("#folder").queryAs(TextField.class);
        Label result = robot.from(dialog).lookup("#result").queryAs(Label.class);
        robot.interact(() -> folder.setText(out.toString()));
        robot.clickOn(robot.from(dialog).lookup("#writeButton").queryButton());
        waitFor(60, () -> result.getText().startsWith("Wrote"));
        assertTrue(result.getText().contains("compact"), result.getText());
        robot.interact(() -> ((javafx.stage.Stage) folder.getScene().getWindow()).close());
        assertTrue(wb.models.contains(out));
        assertEquals(4, wb.models.size(), wb.models.toString());
        robot.interact(() -> wb.selectModel(out));
        waitFor(60, () -> wb.model.get().dir().equals(out) && wb.upToDate.get());
        assertEquals("compact, f32 in memory", wb.model.get().dtype());
        assertTrue(wb.model.get().folderBytes() < 0.3 * 7_900_000, "folder " + wb.model.get().folderBytes());
        // the exported weights are the shared ones: the same perplexity as the setting measured before
        BenchResult reloaded = wb.baseResult.get();
        assertEquals(shared.perplexity(), reloaded.perplexity(), 1e-3);
        assertNotEquals(0, reloaded.tokensPerS());
    }

    @Test
    @Order(6)
    void aLoraRunInThePanelShowsItsMemoryAndWritesTheMergedModelWithItsAdapter() throws Exception {
        Path tiny = wb.models.stream().filter(p -> p.getFileName().toString().equals("loglm-tiny")).findFirst().orElseThrow();
        robot.interact(() -> wb.selectModel(tiny));
        waitFor(60, () -> wb.model.get().dir().equals(tiny) && wb.upToDate.get());
        drag("#clustersSlider", -1);
        settled();
        FineTuneViewModel vm = main.fineTune().viewModel();
        robot.clickOn("Fine-tune");
        assertFalse(vm.lora.get(), "a 2M-parameter model trains every weight by default");
        assertTrue(vm.memoryNeed.get().startsWith("Every weight trains: about "), vm.memoryNeed.get());
        robot.clickOn("#lora");
        assertTrue(vm.lora.get());
        assertTrue(vm.memoryNeed.get().startsWith("LoRA r=16 on a frozen base: about "), vm.memoryNeed.get());
        robot.interact(() -> {
            main.fineTune().stepsSpinner().getValueFactory().setValue(6);
            vm.outName.set("lora-tuned");
        });
        robot.clickOn("#startFineTuneButton");
        waitFor(120, () -> !vm.running.get());
        assertTrue(vm.progressText.get().startsWith("Done: 6 steps"), vm.progressText.get() + "\n" + vm.log.get());
        assertTrue(vm.log.get().contains("LoRA r=16, alpha=32, all linear layers"), vm.log.get());
        Path out = models.resolve("lora-tuned");
        assertTrue(Files.isRegularFile(out.resolve("adapter").resolve(PeftAdapter.CONFIG)), "the adapter beside the merged model");
        assertTrue(wb.models.contains(out), wb.models.toString());
        assertEquals(ModelDirectory.readConfig(tiny), ModelDirectory.readConfig(out));
    }

    /**
     * The LoRA run's adapter opened over its base from the fine-tune panel's offer: the figures of the
     * merged model the run wrote (the command line's --adapter merges the same way); then a folder
     * that is no adapter, refused in the model panel with the model kept, and the adapter cleared.
     */
    @Test
    @Order(7)
    void theBaseWithALoraRunsAdapterMeasuresAsItsMergedModelAndABadFolderIsOneMessage() throws Exception {
        Path tiny = wb.models.stream().filter(p -> p.getFileName().toString().equals("loglm-tiny")).findFirst().orElseThrow();
        Path out = models.resolve("lora-tuned");
        Path adapter = out.resolve(PeftAdapter.RUN_FOLDER);
        CompressionConfig trainedOn = AdapterFolder.trainedOn(AdapterFolder.read(adapter));
        robot.interact(() -> wb.selectModel(out));
        waitFor(60, () -> wb.model.get().dir().equals(out) && wb.upToDate.get());
        double merged = wb.baseResult.get().perplexity();

        FineTuneViewModel ft = main.fineTune().viewModel();
        assertEquals(adapter, ft.leftAdapter.get());
        robot.clickOn("Fine-tune");
        robot.clickOn("#openAdapterLink");
        waitFor(60, () -> wb.model.get().adapter() != null && wb.upToDate.get());
        assertEquals(tiny, wb.model.get().dir());
        assertTrue(label("#info").getText().contains("+ adapter lora-tuned/adapter: LoRA r=16, alpha=32"), label("#info").getText());
        // trained on a compressed copy, the adapter is merged into the copy at that setting, where the sliders now are
        assertEquals(trainedOn.toCompactString(), wb.config.get().toCompactString());
        BenchResult adapted = trainedOn.isNone() ? wb.baseResult.get() : settled();
        assertEquals(merged, adapted.perplexity(), 1e-9 * merged);

        robot.interact(() -> main.model().viewModel().openAdapter(tiny));
        waitFor(60, () -> !wb.modelProblem.get().isEmpty() && wb.upToDate.get());
        assertEquals(tiny + ": is not a LoRA adapter folder: it has no " + PeftAdapter.CONFIG, label("#problem").getText());
        assertTrue(label("#problem").isVisible());
        assertEquals(adapter, wb.model.get().adapter().dir(), "the model with its adapter stays");

        // the model panel shares its column with the fine-tune panel's tab: fire, which a disabled button ignores
        robot.interact(() -> robot.lookup("#clearAdapterButton").queryButton().fire());
        waitFor(60, () -> wb.model.get().adapter() == null && wb.upToDate.get());
        assertFalse(label("#info").getText().contains("adapter"), label("#info").getText());
        assertFalse(label("#problem").isVisible(), "a model that opens clears the last problem");
    }

    /** A LoRA run checkpoints like a full one; its checkpoint is an adapter, not a model for the picker, offered over its base. */
    @Test
    @Order(8)
    void aCancelledLoraRunLeavesItsCheckpointAdapterToOpenOverTheBase() throws Exception {
        Path tiny = wb.model.get().dir();
        FineTuneViewModel vm = main.fineTune().viewModel();
        robot.clickOn("Fine-tune");
        robot.interact(() -> {
            vm.lora.set(true);
            main.fineTune().stepsSpinner().getValueFactory().setValue(100);
            vm.outName.set("lora-stopped");
        });
        robot.clickOn("#startFineTuneButton");
        assertEquals(null, vm.leftAdapter.get(), "a new run forgets the last run's adapter");
        // past the first checkpoint, at step 25
        waitFor(180, () -> vm.progress.get() >= 0.3 || !vm.running.get());
        assertTrue(vm.running.get(), vm.progressText.get());
        robot.clickOn("#cancelFineTuneButton");
        waitFor(60, () -> !vm.running.get());
        Path adapter = models.resolve("lora-stopped").resolve(PeftAdapter.RUN_FOLDER);
        assertTrue(vm.progressText.get().startsWith("Cancelled") && vm.progressText.get().contains("the last checkpoint is the adapter"
                + " models/lora-stopped/adapter, to open over loglm-tiny"), vm.progressText.get());
        assertFalse(wb.models.contains(adapter.getParent()), "a LoRA checkpoint is no model folder");
        assertEquals(adapter, vm.leftAdapter.get());
        robot.clickOn("#openAdapterLink");
        waitFor(60, () -> wb.model.get().adapter() != null && wb.upToDate.get());
        assertEquals(tiny, wb.model.get().dir());
        assertEquals(adapter, wb.model.get().adapter().dir());
    }

    private static BenchResult settled() {
        waitFor(60, () -> wb.upToDate.get() && wb.currentResult.get() != null
                && wb.currentResult.get().config().equals(wb.config.get().toCompactString()));
        System.out.printf("slider settled on %-28s figures %5d ms after the debounce (compression %d ms)%n", wb.currentResult.get().config(),
                wb.lastUpdateMillis, wb.currentResult.get().compressMs());
        return wb.currentResult.get();
    }

    /** Drags a slider's thumb by a fraction of its track (negative: to the left; ±1: to the end). */
    private static void drag(String slider, double fraction) {
        Slider s = robot.lookup(slider).queryAs(Slider.class);
        Node thumb = s.lookup(".thumb");
        robot.drag(thumb).moveBy(fraction * s.getWidth(), 0).drop();
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static Label label(String query) {
        return robot.lookup(query).queryAs(Label.class);
    }

    private static String figure(String name, int column) {
        TableView<FigureRow> t = robot.lookup("#figures").queryTableView();
        FigureRow row = t.getItems().stream().filter(r -> r.figure().startsWith(name)).findFirst().orElseThrow();
        return column == 1 ? row.base() : row.compressed();
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            FineTuneViewModel ft = main.fineTune().viewModel();
            throw new AssertionError("timed out after " + seconds + " s; status: " + wb.status.get() + "; fine-tune: " + ft.progressText.get()
                    + "\n" + ft.log.get(), e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }
}
