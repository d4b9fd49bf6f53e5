package org.slmworkbench.compress;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;

/**
 * Keeps the heap of a compression (and of a compact export) near what the tensors in hand need. Workers build two tensors at
 * once only when together they are no larger than the largest tensor (TinyLlama's two 262 MB
 * embedding matrices go one after the other, its 46 MB projections side by side). And garbage is
 * collected as it passes a few times the tensor just built: a tensor's arrays are all humongous to
 * G1, which frees those only in a collection, and a collection comes when the young generation
 * fills, which they never enter; left to itself G1 grew the heap past 1.5 GB sharing or pruning
 * TinyLlama, and the process past 6 GB. The request is concurrent under the launcher's options.
 */
final class HeapBudget {
    /** Heap in use below which no collection is asked for, whatever the tensor. */
    private static final long FLOOR_BYTES = 192L << 20;
    /** Collect when the heap in use passes this many times the tensor just built. */
    private static final int TENSORS = 3;

    private final int budget;
    private final Semaphore permits;

    /** @param largest values in the largest tensor that may be built */
    HeapBudget(long largest) {
        this.budget = (int) Math.max(1, Math.min(Integer.MAX_VALUE, largest));
        this.permits = new Semaphore(budget);
    }

    /** Runs {@code build} of a tensor of {@code values} values once the budget has room for it. */
    void run(long values, Runnable build) {
        int take = (int) Math.max(1, Math.min(budget, values));
        try {
            permits.acquire(take);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        try {
            build.run();
        } finally {
            permits.release(take);
        }
        collectAfter(values);
    }

    /**
     * Asks for a collection once the heap in use passes a few times a tensor of {@code values}
     * values just handled: for loops over tensors whose arrays are garbage once each is done (a
     * compact export's byte planes and their deflated copies, five times the tensor's floats).
     */
    static void collectAfter(long values) {
        Runtime r = Runtime.getRuntime();
        if (r.totalMemory() - r.freeMemory() > Math.max(FLOOR_BYTES, TENSORS * values * Float.BYTES)) {
            System.gc();
        }
    }
}
