package org.slmworkbench.logs;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slmworkbench.bench.TokenSurprise;

/**
 * The model's reading of masked skeletons kept across calls, for a caller that scores a log file by
 * file (a Spark task per file): a fleet's files repeat each other's skeletons, and one call per file
 * would compute each skeleton again in every file. Threads that share one model share it: a
 * skeleton another thread is computing is waited for, not computed twice (two tasks that start
 * together on files of one system would otherwise both read all its skeletons). Once full it keeps
 * what it has (the skeletons met first, which in logs are the common ones) and adds nothing.
 */
public final class SkeletonCache {
    private final Map<String, CompletableFuture<TokenSurprise>> bySkeleton = new ConcurrentHashMap<>();
    private final int capacity;

    /** @param capacity skeletons kept at most; each holds its tokens' texts and statistics (a few KiB) */
    public SkeletonCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("a skeleton cache holds at least 0 skeletons, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** A cache that keeps nothing, so every call computes what it needs: one call per log (the CLI). */
    static SkeletonCache none() {
        return new SkeletonCache(0);
    }

    /** Whether this cache keeps anything, to share among calls and threads. */
    boolean isShared() {
        return capacity > 0;
    }

    /**
     * The reading of a skeleton that is kept or being computed elsewhere; null when the caller is to
     * compute it, and then complete {@code mine} (or {@link #release} it), which other callers may be
     * waiting on.
     */
    CompletableFuture<TokenSurprise> claim(String skeleton, CompletableFuture<TokenSurprise> mine) {
        CompletableFuture<TokenSurprise> kept = bySkeleton.get(skeleton);
        if (kept != null || bySkeleton.size() >= capacity) {
            return kept;
        }
        return bySkeleton.putIfAbsent(skeleton, mine);
    }

    /** Gives up claims whose computation failed, so that later calls compute them again. */
    void release(List<String> skeletons, List<CompletableFuture<TokenSurprise>> claims, Throwable why) {
        for (int i = 0; i < skeletons.size(); i++) {
            bySkeleton.remove(skeletons.get(i), claims.get(i));
            claims.get(i).completeExceptionally(why);
        }
    }

    public int size() {
        return bySkeleton.size();
    }
}
