package org.slmworkbench.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/** Process-wide engine settings: PyTorch's intra-op thread pool is global. */
public final class Engines {
    /** The thread count asked for; 0 until set or read from the engine. */
    private static volatile int threads;

    private Engines() {}

    /** Threads for tensor ops; 0 means the window's default, all cores but one (so it stays responsive). */
    public static int setThreads(int threads) {
        Engine.getEngine("PyTorch");
        int n = threads > 0 ? threads : defaultThreads();
        JniUtils.setNumThreads(n);
        Engines.threads = n;
        return n;
    }

    /** The thread count tensor ops use, as set or as the engine started with. */
    public static int threads() {
        if (threads == 0) {
            Engine.getEngine("PyTorch");
            threads = JniUtils.getNumThreads();
        }
        return threads;
    }

    /**
     * Runs a pass over one token. Its large products go to {@link MatVec}, on all the threads, so
     * PyTorch runs the small ops in between on the calling thread alone: PyTorch's idle threads
     * spin for a while after each op, and on the same cores as MatVec's they halve its speed.
     */
    static <T> T oneTokenPass(Supplier<T> pass) {
        int n = threads();
        if (!MatVec.available() || n == 1) {
            return pass.get();
        }
        JniUtils.setNumThreads(1);
        try {
            return pass.get();
        } finally {
            JniUtils.setNumThreads(n);
        }
    }

    /**
     * All cores but one, even on two: the window on two cores with two model threads (TinyLlama's
     * shape) left its thread waiting up to 267 ms, and its figures came later than with one, as
     * compression's two workers and the models then contend for both cores.
     */
    public static int defaultThreads() {
        return Math.max(1, allCores() - 1);
    }

    /**
     * Every core, the command line's default: it has no window to keep responsive, and on two cores
     * one thread leaves half the machine idle.
     */
    public static int allCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Turns autograd off for the calling thread, for a thread that runs the engine: a new thread
     * starts with it on, and then every multi-token product of a 16-bit model widens into fresh
     * memory as if for backward, instead of one reused buffer. Training turns it on where it
     * needs it (a gradient collector does).
     */
    public static void noGradientsOnThisThread() {
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
    }

    /**
     * Runs in-place edits of parameters with autograd off. PyTorch's grad mode is per thread and on
     * by default in a new thread, where an in-place edit of a leaf that requires grad is refused.
     */
    public static void withoutGradients(Runnable edit) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            edit.run();
        } finally {
            JniUtils.setGradMode(was);
        }
    }
}
