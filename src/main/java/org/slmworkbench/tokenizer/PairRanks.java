package org.slmworkbench.tokenizer;

import java.util.Arrays;

/**
 * Pair key to merge rank, an open-addressing hash map on primitive longs: encoding looks up a
 * rank for every adjacent pair, so boxing here would dominate the encoder's time.
 */
final class PairRanks {
    private static final long EMPTY = -1L; // never a pair key: ids are non-negative ints

    private final long[] keys;
    private final int[] ranks;
    private final int mask; // capacity - 1; capacity is a power of two, at least twice the pairs

    PairRanks(int expectedPairs) {
        int capacity = Integer.highestOneBit(Math.max(4, expectedPairs * 2 + 1)) * 2;
        keys = new long[capacity];
        ranks = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    /** Records the rank of a pair; false (and no change) if the pair already has one. */
    boolean put(long pairKey, int rank) {
        int slot = slotOf(pairKey);
        if (keys[slot] != EMPTY) {
            return false;
        }
        keys[slot] = pairKey;
        ranks[slot] = rank;
        return true;
    }

    /** Rank of the merge for this pair, or -1 if the pair never merges. */
    int rankOf(long pairKey) {
        int slot = slotOf(pairKey);
        return keys[slot] == EMPTY ? -1 : ranks[slot];
    }

    private int slotOf(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ (h >>> 29)) & mask;
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }
}
