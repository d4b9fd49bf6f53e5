package org.slmworkbench.ui;

import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;

/**
 * Measures how long the FX thread keeps work waiting: a background thread posts a tiny runnable
 * every 10 ms and records the delay until it runs. A blocked FX thread shows as a long delay.
 */
final class FxThreadProbe implements AutoCloseable {
    private final AtomicLong maxNanos = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    FxThreadProbe() {
        thread = new Thread(() -> {
            while (running) {
                long posted = System.nanoTime();
                Platform.runLater(() -> {
                    maxNanos.accumulateAndGet(System.nanoTime() - posted, Math::max);
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

    double maxMillis() {
        return maxNanos.get() / 1e6;
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
