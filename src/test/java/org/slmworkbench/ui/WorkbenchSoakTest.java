package org.slmworkbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slmworkbench.Stats;
import org.slmworkbench.bench.BenchResult;
import org.slmworkbench.bench.ProcessMemory;
import org.slmworkbench.compress.PruneMethod;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A minute of abuse on the real window: slider moves every 50 ms across every slider and pruning
 * method, with now and then a pause just long enough for a compression to start and be cancelled
 * and every ten seconds one long enough for figures to arrive; side-by-side generations started and
 * cancelled at random; and a fine-tune running, paused, resumed and cancelled at the same time. Checks that nothing deadlocks, that
 * every figure shown belongs to the setting shown at that moment, that the window settles on the
 * last setting, and that resident memory stays level (a leak of native tensors per compression
 * would grow it by megabytes a second). Prints the RSS per ten seconds for the record.
 */
class WorkbenchSoakTest {
    private static final long SOAK_MILLIS = 60_000;
    private static final long MOVE_EVERY_MILLIS = 50;
    private static final FxRobot robot = new FxRobot();
    private static TestWindow window;
    private static MainController main;
    private static WorkbenchModel wb;

    @BeforeAll
    static void openWindow() throws Exception {
        window = TestWindow.open("loglm-tiny");
        main = window.main();
        wb = window.wb();
    }

    @AfterAll
    static void close() throws Exception {
        window.close();
    }

    @Test
    void aMinuteOfSliderMovesWithGenerationAndFineTuneAtOnce() throws Exception {
        CompressionPanelViewModel sliders = main.compression().viewModel();
        SideBySideViewModel sideBySide = main.sideBySide().viewModel();
        FineTuneViewModel fineTune = main.fineTune().viewModel();
        List<String> mismatches = new ArrayList<>();
        AtomicInteger shown = new AtomicInteger();
        robot.interact(() -> wb.currentResult.addListener((obs, old, r) -> {
            // on the FX thread: what is shown must be the setting the sliders show right now
            if (r != null && !r.config().equals(wb.config.get().toCompactString())) {
                mismatches.add(r.config() + " shown while the sliders said " + wb.config.get().toCompactString());
            }
            shown.incrementAndGet();
        }));
        robot.interact(() -> {
            fineTune.steps.set(100_000);
            fineTune.threads.set(1);
            fineTune.outName.set("soak-tuned");
            fineTune.start();
        });
        assertTrue(onFx(() -> fineTune.running.get()), fineTune.progressText.get());

        Random random = new Random(7);
        PruneMethod[] methods = {PruneMethod.MAGNITUDE, PruneMethod.WANDA, PruneMethod.STRUCTURED, PruneMethod.GLOBAL_MAGNITUDE};
        List<double[]> rss = new ArrayList<>();
        AtomicInteger moves = new AtomicInteger();
        AtomicInteger generations = new AtomicInteger();
        AtomicInteger cancels = new AtomicInteger();
        int fineTuneStage = 0;
        long tenSeconds = 0;
        boolean generating = false;
        boolean afterLongPause = false;
        long start = System.nanoTime();
        long elapsed;
        while ((elapsed = (System.nanoTime() - start) / 1_000_000) < SOAK_MILLIS) {
            // a generation starts after each long pause (the window only generates with figures up to date) and
            // is cancelled at once half the time, so cancels land early in a run as well as late
            boolean cancel = generating && random.nextBoolean();
            boolean generate = !cancel && afterLongPause;
            robot.interact(() -> {
                if (cancel) {
                    sideBySide.cancel();
                    cancels.incrementAndGet();
                } else if (generate) {
                    sideBySide.generate();
                    generations.addAndGet(sideBySide.running.get() ? 1 : 0);
                } else {
                    sliders.method.set(methods[random.nextInt(methods.length)]);
                    sliders.prunePercent.set(5 * random.nextInt(CompressionPanelViewModel.MAX_PRUNE_PERCENT / 5 + 1));
                    sliders.shareStep.set(random.nextInt(CompressionPanelViewModel.MAX_SHARE_STEP + 1));
                    sliders.exitLayer.set(1 + random.nextInt(sliders.layers.get()));
                    sliders.threshold.set(random.nextBoolean() ? 0 : 0.5 + 0.6 * random.nextDouble());
                    moves.incrementAndGet();
                }
            });
            generating = generate && onFx(() -> sideBySide.running.get());
            afterLongPause = false;
            // the fine-tune: paused at 15 s, resumed at 20 s, cancelled at 30 s
            int stage = elapsed < 15_000 ? 0 : elapsed < 20_000 ? 1 : elapsed < 30_000 ? 2 : 3;
            if (stage != fineTuneStage) {
                robot.interact(stage == 3 ? fineTune::cancel : fineTune::pauseOrResume);
                fineTuneStage = stage;
            }
            rss.add(new double[] {elapsed / 1000.0, ProcessMemory.rssBytes() / 1e6});
            // now and then a pause past the debounce, so compressions start and the next moves cancel them mid-way
            // and every ten seconds a long one, so some settings are measured to the end and shown
            long pause = random.nextInt(100) < 8 ? 250 + random.nextInt(1000) : MOVE_EVERY_MILLIS;
            if (elapsed / 10_000 != tenSeconds) {
                tenSeconds = elapsed / 10_000;
                pause = 5_000;
                afterLongPause = true;
            }
            Thread.sleep(pause);
        }
        String last = onFx(() -> wb.config.get().toCompactString());
        settle("the fine-tune to stop", () -> !fineTune.running.get());
        settle("the generation to end", () -> !sideBySide.running.get());
        settle("the figures of the last setting", wb.upToDate::get);
        BenchResult settled = wb.currentResult.get();

        // steady state after the fine-tune has stopped: a leak of a model copy per compression would show here
        double early = medianRss(rss, 32, 46);
        double late = medianRss(rss, 46, 60);
        System.out.printf(Locale.ROOT, "soak: %d moves, %d generations started, %d cancelled, %d figures shown;"
                + " RSS median 32-46 s %.0f MB, 46-60 s %.0f MB%n", moves.get(), generations.get(), cancels.get(), shown.get(), early, late);
        for (int from = 0; from < 60; from += 10) {
            System.out.printf(Locale.ROOT, "soak: RSS %2d-%2d s: median %.0f MB, max %.0f MB%n", from, from + 10,
                    medianRss(rss, from, from + 10), maxRss(rss, from, from + 10));
        }
        assertTrue(mismatches.isEmpty(), mismatches.toString());
        assertEquals(last, settled.config(), "the window settles on the last setting moved to");
        assertTrue(shown.get() >= 5, "only " + shown.get() + " settings were measured in a minute of moves");
        assertTrue(moves.get() > 100 && generations.get() >= 3 && cancels.get() >= 1,
                moves + " moves, " + generations + " generations, " + cancels + " cancelled");
        assertTrue(late < early + 100, String.format(Locale.ROOT, "RSS grew from %.0f to %.0f MB", early, late));
    }

    private static double medianRss(List<double[]> samples, double from, double to) {
        return Stats.median(samples.stream().filter(s -> s[0] >= from && s[0] < to).mapToDouble(s -> s[1]).toArray());
    }

    private static double maxRss(List<double[]> samples, double from, double to) {
        return samples.stream().filter(s -> s[0] >= from && s[0] < to).mapToDouble(s -> s[1]).max().orElse(Double.NaN);
    }

    private static void settle(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            waitFor(120, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no " + what + " within 120 s; status: " + onFx(wb.status::get) + "\n" + threadDump());
        }
    }

    private static String threadDump() {
        StringBuilder out = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            out.append(t.getName()).append(' ').append(t.getState()).append('\n');
            for (int i = 0; i < Math.min(stack.length, 12); i++) {
                out.append("    ").append(stack[i]).append('\n');
            }
        });
        return out.toString();
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    private static void waitFor(int seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
    }
}
