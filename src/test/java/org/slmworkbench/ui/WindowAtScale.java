package org.slmworkbench.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Slider;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.slmworkbench.NativeHeap;
import org.slmworkbench.Stats;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.bench.ProcessMemory;
import org.slmworkbench.compress.PruneMethod;

/**
 * A benchmark, not a test (it does not run in {@code mvn verify}): opens the real window on a model
 * folder as a user does, then moves its sliders to every method in turn, several rounds, and
 * prints for each method the time from the last slider move to the first measured decode figure on
 * screen, the FX thread's longest busy stretch, and the process's peak RSS. Each move goes on as
 * soon as its decode figure shows, so the next move cancels the refinement (the last round lets
 * every setting finish). With {@code DISPLAY} set, a screenshot of the screen goes to the output
 * folder after a structured setting has all its quick figures.
 *
 * <p>With {@code --fine-tune STEPS} instead of rounds, it runs the fine-tune panel as it opens
 * (LoRA on by default above 300M parameters) for that many steps on the sample logs and prints the
 * panel's memory estimate, the steps' speed, the FX thread's longest busy stretch and the peak RSS.
 *
 * <p>{@code java ... org.slmworkbench.ui.WindowAtScale MODEL_DIR OUT_DIR [ROUNDS | --fine-tune STEPS]}
 */
public final class WindowAtScale {
    /** A setting as slider positions: prune percent and method, sharing step (2^step clusters), exit layer (0 = off), threshold. */
    private record Move(String name, double prune, PruneMethod method, int shareStep, int exit, double threshold) {}

    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[0]).toAbsolutePath();
        Path out = Files.createDirectories(Path.of(args[1]));
        boolean fineTune = args.length > 3 && args[2].equals("--fine-tune");
        int rounds = fineTune ? 0 : args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // as the jar's Main sets up the window's process
        NativeHeap.mapLargeBlocks();
        Path tmp = Files.createTempDirectory("slm-window-at-scale");
        Path session = tmp.resolve("session.properties");
        // as after a user opened the folder and the sample logs once: the window reopens on them
        new SessionStore(session).save(new SessionStore.Saved(modelDir.toString(), null, Path.of("sample-logs").toAbsolutePath().toString(),
                "none", ""));
        Platform.startup(() -> { });
        long t0 = System.nanoTime();
        Stage[] stage = new Stage[1];
        MainController main = onFx(() -> {
            stage[0] = new Stage();
            return WorkbenchWindow.show(stage[0], tmp, Path.of("sample-logs"), session);
        });
        WorkbenchModel wb = main.workbench();
        waitUntil(1800, () -> wb.model.get() != null && wb.upToDate.get() && wb.currentResult.get() != null);
        System.out.printf(Locale.ROOT, "window opened on %s; base figures after %.1f s: %.1f ms/token, RSS %.0f MB%n", modelDir.getFileName(),
                (System.nanoTime() - t0) / 1e9, wb.baseResult.get().decodeMsPerTokenP50(), ProcessMemory.rssBytes() / 1e6);
        if (fineTune) {
            fineTune(main, Integer.parseInt(args[3]), out);
            return;
        }
        int layers = wb.model.get().layers();
        List<Move> moves = List.of(
                new Move("magnitude 50%", 50, PruneMethod.MAGNITUDE, 0, 0, 0),
                new Move("global magnitude 50%", 50, PruneMethod.GLOBAL_MAGNITUDE, 0, 0, 0),
                new Move("wanda 50%", 50, PruneMethod.WANDA, 0, 0, 0),
                new Move("structured 50%", 50, PruneMethod.STRUCTURED, 0, 0, 0),
                new Move("sharing k=16", 0, PruneMethod.MAGNITUDE, 4, 0, 0),
                new Move("static exit L/2", 0, PruneMethod.MAGNITUDE, 0, layers / 2, 0),
                new Move("dynamic exit 0.9", 0, PruneMethod.MAGNITUDE, 0, layers, 0.9));
        Map<String, List<Double>> firstDecode = new LinkedHashMap<>();
        Map<String, List<Double>> allFigures = new LinkedHashMap<>();
        FxThreadProbe probe = new FxThreadProbe();
        for (int round = 0; round < rounds; round++) {
            boolean last = round == rounds - 1;
            for (Move m : moves) {
                long moved = onFx(() -> {
                    apply(stage[0].getScene(), m, layers);
                    return System.nanoTime();
                });
                String expected = onFx(() -> wb.config.get().toCompactString());
                waitUntil(900, () -> {
                    BenchResult r = wb.currentResult.get();
                    return r != null && r.config().equals(expected) && !Double.isNaN(r.decodeMsPerTokenP50());
                });
                double ms = (System.nanoTime() - moved) / 1e6;
                firstDecode.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(ms);
                System.out.printf(Locale.ROOT, "round %d  %-22s %-26s first decode figure %7.0f ms after the move (%.1f ms/token), peak RSS so far %s kB; FX %s%n",
                        round + 1, m.name(), expected, ms, wb.currentResult.get().decodeMsPerTokenP50(), peakRssKb(), probe.interval());
                if (last) {
                    waitUntil(1800, () -> wb.upToDate.get() && wb.config.get().toCompactString().equals(expected));
                    double all = (System.nanoTime() - moved) / 1e6;
                    allFigures.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(all);
                    System.out.printf(Locale.ROOT, "         all quick figures after %.0f ms: %s; FX %s%n", all, onFx(() -> wb.status.get()),
                            probe.interval());
                    if (m.method() == PruneMethod.STRUCTURED && System.getenv("DISPLAY") != null) {
                        Path png = out.resolve("window-" + modelDir.getFileName() + ".png");
                        new ProcessBuilder("import", "-window", "root", png.toString()).inheritIO().start().waitFor();
                        System.out.println("         screenshot " + png);
                    }
                }
            }
        }
        probe.close();
        System.out.println();
        System.out.println("| method | moves | median ms to first decode figure | each | ms to all quick figures (last round) |");
        System.out.println("|---|---|---|---|---|");
        for (Move m : moves) {
            List<Double> d = firstDecode.get(m.name());
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %s | %s |%n", m.name(), d.size(), Stats.median(d.stream().mapToDouble(x -> x).toArray()),
                    d.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList(),
                    allFigures.getOrDefault(m.name(), List.of()).stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList());
        }
        System.out.printf(Locale.ROOT, "FX thread: longest busy %.1f ms (CPU), longest wait %.1f ms (wall), %d probes%n", probe.maxBusyMillis(),
                probe.maxWaitMillis(), probe.samples());
        System.out.printf(Locale.ROOT, "peak RSS %s kB (VmHWM), threads for the models %d%n", peakRssKb(), wb.currentResult.get().threads());
        onFx(() -> {
            wb.shutdown();
            return null;
        });
        System.exit(0);
    }

    /** Starts the fine-tune panel as it stands, waits for it to end, and prints what it cost. */
    private static void fineTune(MainController main, int steps, Path out) throws Exception {
        WorkbenchModel wb = main.workbench();
        FineTuneViewModel ft = main.fineTune().viewModel();
        System.out.println("panel: LoRA " + (onFx(() -> ft.lora.get()) ? "on" : "off") + "; " + onFx(() -> ft.memoryNeed.get()));
        FxThreadProbe probe = new FxThreadProbe();
        long t0 = System.nanoTime();
        onFx(() -> {
            // the panel in view, as a user watching the run has it, with its chart updating
            TabPane tabs = (TabPane) main.fineTune().stepsSpinner().getScene().lookup(".tab-pane");
            tabs.getTabs().stream().filter(t -> t.getText().equals("Fine-tune")).findFirst().ifPresent(t -> tabs.getSelectionModel().select(t));
            main.fineTune().stepsSpinner().getValueFactory().setValue(steps);
            ft.threads.set(Runtime.getRuntime().availableProcessors());
            ft.outName.set("at-scale-" + System.currentTimeMillis());
            ft.start();
            return null;
        });
        waitUntil(24 * 3600, () -> !ft.running.get());
        probe.close();
        System.out.printf(Locale.ROOT, "%s%nafter %.0f s: %s%n", onFx(() -> ft.log.get()), (System.nanoTime() - t0) / 1e9, onFx(() -> ft.progressText.get()));
        System.out.printf(Locale.ROOT, "FX thread over the run: longest busy %.1f ms (CPU), longest wait %.1f ms (wall), %d probes%n",
                probe.maxBusyMillis(), probe.maxWaitMillis(), probe.samples());
        System.out.printf(Locale.ROOT, "peak RSS %s kB (VmHWM) for the window's model and the run%n", peakRssKb());
        if (System.getenv("DISPLAY") != null) {
            Path png = out.resolve("fine-tune-" + wb.model.get().name() + ".png");
            new ProcessBuilder("import", "-window", "root", png.toString()).inheritIO().start().waitFor();
            System.out.println("screenshot " + png);
        }
        onFx(() -> {
            wb.shutdown();
            return null;
        });
        System.exit(0);
    }

    /** Slider positions as a user leaves them: every other control back to off, then this move's. */
    @SuppressWarnings("unchecked")
    private static void apply(Scene scene, Move m, int layers) {
        Slider prune = (Slider) scene.lookup("#pruneSlider");
        Slider share = (Slider) scene.lookup("#clustersSlider");
        Slider exit = (Slider) scene.lookup("#exitSlider");
        Slider threshold = (Slider) scene.lookup("#thresholdSlider");
        ChoiceBox<PruneMethod> method = (ChoiceBox<PruneMethod>) scene.lookup("#pruneMethod");
        method.setValue(m.method());
        prune.setValue(m.prune());
        share.setValue(m.shareStep());
        threshold.setValue(m.threshold());
        exit.setValue(m.exit() == 0 ? layers : m.exit());
    }

    /** The peak RSS so far in kB (VmHWM), and the Java heap's committed size when a 100 ms sample last saw the RSS at its highest. */
    private static String peakRssKb() throws Exception {
        String peak = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.replaceAll("[^0-9]", "")).findFirst().orElse("?");
        return peak + " (heap committed " + (HEAP_AT_PEAK.get() >> 20) + " MB at the highest sampled RSS)";
    }

    private static final java.util.concurrent.atomic.AtomicLong HEAP_AT_PEAK = new java.util.concurrent.atomic.AtomicLong();

    static {
        Thread sampler = new Thread(() -> {
            long highest = 0;
            while (true) {
                long rss = org.slmworkbench.bench.ProcessMemory.rssBytes();
                if (rss > highest) {
                    highest = rss;
                    HEAP_AT_PEAK.set(java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted());
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    interface FxCall<T> {
        T call() throws Exception;
    }

    private static <T> T onFx(FxCall<T> call) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(call.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }

    private static void waitUntil(int seconds, FxCall<Boolean> condition) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!onFx(condition)) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("gave up after " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }
}
