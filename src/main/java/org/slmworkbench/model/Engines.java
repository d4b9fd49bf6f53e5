package org.slmworkbench.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Process-wide engine settings: PyTorch's intra-op thread pool is global. */
public final class Engines {
    private Engines() {}

    /** Threads for tensor ops; 0 means the default, all cores but one (so a window stays responsive). */
    public static int setThreads(int threads) {
        Engine.getEngine("PyTorch");
        int n = threads > 0 ? threads : defaultThreads();
        JniUtils.setNumThreads(n);
        return n;
    }

    public static int threads() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }

    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
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
