package org.slmworkbench.logs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slmworkbench.bench.TokenSurprise;

/**
 * The model's reading of masked skeletons kept across calls, for a caller that scores a log file by
 * file (a Spark task per file): a fleet's files repeat each other's skeletons, and one call per file
 * would compute each skeleton again in every file. Safe for threads that share one model. Once full
 * it keeps what it has (the skeletons met first, which in logs are the common ones) and adds nothing.
 */
public final class SkeletonCache {
    private final Map<String, TokenSurprise> bySkeleton = new ConcurrentHashMap<>();
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

    TokenSurprise get(String skeleton) {
        return bySkeleton.get(skeleton);
    }

    void put(String skeleton, TokenSurprise read) {
        if (bySkeleton.size() < capacity) {
            bySkeleton.put(skeleton, read);
        }
    }

    public int size() {
        return bySkeleton.size();
    }
}
