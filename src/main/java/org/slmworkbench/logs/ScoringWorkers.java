package org.slmworkbench.logs;

import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slmworkbench.model.Engines;

/**
 * Runs independent inference passes, and the per-line work before them, on as many threads as
 * tensor ops may use, each pass on one thread with one intra-op thread. A short line's pass is a
 * string of small products that two intra-op threads barely speed up; two passes side by side keep
 * both cores busy. Autograd is off
 * on every thread that runs a pass (it is on by default in each new thread and would record a
 * graph nobody reads).
 */
final class ScoringWorkers {
    private ScoringWorkers() {}

    /** Lines handed to a thread at a time by {@link #forEach}. */
    private static final int SLICE = 256;

    /** {@code body} for 0..count-1 on the same threads, in slices: per-line work such as masking and encoding. */
    static void forEach(int count, IntConsumer body) {
        List<Runnable> slices = new ArrayList<>();
        for (int from = 0; from < count; from += SLICE) {
            int first = from;
            int end = Math.min(count, from + SLICE);
            slices.add(() -> {
                for (int i = first; i < end; i++) {
                    body.accept(i);
                }
            });
        }
        run(slices);
    }

    static void run(List<Runnable> passes) {
        int n = Math.min(Engines.threads(), passes.size());
        if (n <= 1) {
            Engines.withoutGradients(() -> passes.forEach(Runnable::run));
            return;
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            Runnable worker = () -> {
                JniUtils.setNumThreads(1);
                Engines.withoutGradients(() -> {
                    for (int k = next.getAndIncrement(); k < passes.size(); k = next.getAndIncrement()) {
                        passes.get(k).run();
                    }
                });
            };
            List<Future<?>> running = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                running.add(pool.submit(worker));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scoring interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            // PyTorch keeps the last count asked for as the default of threads it meets later
            JniUtils.setNumThreads(Engines.threads());
        }
    }
}
