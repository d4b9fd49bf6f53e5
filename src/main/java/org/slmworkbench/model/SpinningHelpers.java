package org.slmworkbench.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Daemon threads that run one task each per round and spin briefly before parking. Decoding
 * calls {@link MatVec} every few hundred microseconds, and waking a parked thread takes about as
 * long as its share of a product, so a helper that is still spinning picks up the next one at once.
 */
final class SpinningHelpers {
    /** How long an idle helper stays awake: longer than the gaps between a decode step's products. */
    private static final long SPIN_NANOS = 2_000_000;
    private final List<Helper> helpers = new ArrayList<>();

    /**
     * Runs {@code tasks[1..]} on helpers and {@code tasks[0]} on the calling thread; returns when all
     * have finished, even if the caller is interrupted (the interrupt is kept for the caller to see),
     * so no task outlives the call. Callers take turns: there is one set of helpers.
     */
    synchronized void runAll(Runnable[] tasks) {
        while (helpers.size() < tasks.length - 1) {
            Helper h = new Helper();
            h.start();
            helpers.add(h);
        }
        for (int i = 1; i < tasks.length; i++) {
            helpers.get(i - 1).give(tasks[i]);
        }
        Throwable failure = null;
        try {
            tasks[0].run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int i = 1; i < tasks.length; i++) {
            Throwable f = helpers.get(i - 1).await();
            failure = failure == null ? f : failure;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private static final class Helper extends Thread {
        private volatile Runnable task;
        private volatile boolean busy;
        private volatile Throwable failure;

        Helper() {
            super("matvec-helper");
            setDaemon(true);
        }

        void give(Runnable r) {
            failure = null;
            busy = true;
            task = r;
            LockSupport.unpark(this);
        }

        /** Spins: the helper's share takes as long as the caller's, so it is nearly done by now. */
        Throwable await() {
            while (busy) {
                Thread.onSpinWait();
            }
            return failure;
        }

        @Override
        public void run() {
            while (true) {
                long idleSince = System.nanoTime();
                Runnable r;
                while ((r = task) == null) {
                    if (System.nanoTime() - idleSince > SPIN_NANOS) {
                        LockSupport.park(this);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                task = null;
                try {
                    r.run();
                } catch (Throwable e) {
                    failure = e;
                }
                busy = false;
            }
        }
    }
}
