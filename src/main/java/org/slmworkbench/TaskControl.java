package org.slmworkbench;

import java.util.concurrent.CancellationException;

/**
 * Cancel and pause for long engine work. The worker polls {@link #checkpoint()} between units of
 * work (a training step, a measured token); any thread may cancel, pause or resume.
 */
public final class TaskControl {
    private volatile boolean cancelled;
    private boolean paused;

    public static TaskControl none() {
        return new TaskControl();
    }

    public void cancel() {
        cancelled = true;
        synchronized (this) {
            notifyAll();
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** Blocks while paused; throws {@link CancellationException} once cancelled. */
    public void checkpoint() {
        synchronized (this) {
            while (paused && !cancelled) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelled = true;
                }
            }
        }
        if (cancelled) {
            throw new CancellationException("cancelled");
        }
    }
}
