package org.slmworkbench.ui;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;

/**
 * Measures how long the FX thread keeps work waiting. A background thread posts a tiny runnable
 * every 10 ms and records, for each, the wall-clock delay until it runs and the CPU time the FX
 * thread spent meanwhile on other work. The CPU figure is the one that shows a blocked FX thread
 * (work of ours on it); the wall figure also counts time the OS gave the cores to other threads,
 * which on two busy cores is not the window's doing.
 */
final class FxThreadProbe implements AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final AtomicLong maxWaitNanos = new AtomicLong();
    private final AtomicLong maxBusyNanos = new AtomicLong();
    private final AtomicLong intervalWaitNanos = new AtomicLong();
    private final AtomicLong intervalBusyNanos = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    FxThreadProbe() throws Exception {
        CompletableFuture<Long> fxId = new CompletableFuture<>();
        Platform.runLater(() -> fxId.complete(Thread.currentThread().getId()));
        long fx = fxId.get();
        thread = new Thread(() -> {
            while (running) {
                long posted = System.nanoTime();
                long cpuAtPost = THREADS.getThreadCpuTime(fx);
                Platform.runLater(() -> {
                    long wait = System.nanoTime() - posted;
                    long busy = THREADS.getCurrentThreadCpuTime() - cpuAtPost;
                    maxWaitNanos.accumulateAndGet(wait, Math::max);
                    maxBusyNanos.accumulateAndGet(busy, Math::max);
                    intervalWaitNanos.accumulateAndGet(wait, Math::max);
                    intervalBusyNanos.accumulateAndGet(busy, Math::max);
                    samples.incrementAndGet();
                });
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fx-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /** Longest CPU time the FX thread spent on other work while a probe waited. */
    double maxBusyMillis() {
        return maxBusyNanos.get() / 1e6;
    }

    /** Longest wall-clock wait of a probe. */
    double maxWaitMillis() {
        return maxWaitNanos.get() / 1e6;
    }

    /** "busy B ms, wait W ms": the longest of each since the last call (or the start), which begins a new interval. */
    String interval() {
        return String.format(java.util.Locale.ROOT, "busy %.1f ms, wait %.1f ms", intervalBusyNanos.getAndSet(0) / 1e6,
                intervalWaitNanos.getAndSet(0) / 1e6);
    }

    long samples() {
        return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
