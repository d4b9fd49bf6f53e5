package org.slmworkbench.compress;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;

/**
 * Keeps the heap of a compression (and of a compact export) near what the tensors in hand need.
 * Workers build two tensors at once only when together they are no larger than the largest tensor
 * (TinyLlama's two 262 MB embedding matrices go one after the other, its 46 MB projections side by
 * side). And a thread that has allocated more than a few times the tensor it just handled since it
 * last asked for a collection asks for one: a tensor's arrays are all humongous to G1, which frees
 * those only in a collection, and a collection comes when the young generation fills, which they
 * never enter; left to itself G1 grew the heap past 1.5 GB sharing or pruning TinyLlama, and the
 * process past 6 GB. Counting what the thread allocated, not what the heap holds, keeps a large live
 * heap (the window's kept log-probabilities) from asking after every tensor. The request is
 * concurrent under the launcher's options.
 */
final class HeapBudget {
    /** Bytes a thread allocates before it asks for a collection, whatever the tensor. */
    private static final long FLOOR_BYTES = 96L << 20;
    /** Ask when a thread has allocated this many times the tensor just handled. */
    private static final int TENSORS = 3;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    /** Per thread, its allocated bytes when it last asked. */
    private static final ThreadLocal<long[]> ASKED_AT = ThreadLocal.withInitial(() -> new long[] {allocated()});

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
     * Asks for a collection once this thread has allocated, since it last asked, more than a few
     * times a tensor of {@code values} values just handled: for loops over tensors whose arrays are
     * garbage once each is done (a compact export's byte planes and their deflated copies, five
     * times the tensor's floats).
     */
    static void collectAfter(long values) {
        long now = allocated();
        long[] askedAt = ASKED_AT.get();
        if (now - askedAt[0] > Math.max(FLOOR_BYTES, TENSORS * values * Float.BYTES)) {
            askedAt[0] = now;
            System.gc();
        }
    }

    /** This thread's allocated bytes, or 0 where the JVM does not count them (then nothing is asked). */
    private static long allocated() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled()
                ? THREADS.getCurrentThreadAllocatedBytes() : 0;
    }
}
