package org.slmworkbench.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import org.slmworkbench.bench.ProcessMemory;
import org.slmworkbench.train.TrainingProgress;

/** Prints a training progress line every {@code every} steps and at every evaluation. */
final class ProgressPrinter implements Consumer<TrainingProgress> {
    private final PrintStream out;
    private final int every;

    ProgressPrinter(PrintStream out, int every) {
        this.out = out;
        this.every = Math.max(1, every);
    }

    @Override
    public void accept(TrainingProgress p) {
        if (p.step() % every != 0 && !p.hasHeldoutLoss() && p.step() != p.totalSteps()) {
            return;
        }
        String heldout = p.hasHeldoutLoss() ? String.format(Locale.ROOT, " held-out %.4f", p.heldoutLoss()) : "";
        out.printf(Locale.ROOT, "step %d/%d loss %.4f%s lr %.2e %,.0f tok/s %.1f ms/step rss %s ETA %s%n", p.step(), p.totalSteps(),
                p.loss(), heldout, p.lr(), p.tokensPerSecond(), p.msPerStep(), ProcessMemory.megabytes(ProcessMemory.rssBytes()),
                duration(p.etaSeconds()));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }
}
