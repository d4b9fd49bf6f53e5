package org.slmworkbench.compress.codec;

import java.util.Arrays;

/**
 * The distinct values of a tensor, as {@link Float#equals} tells them apart (-0.0 is not 0.0, every
 * NaN is one value), collected up to a limit in an open-addressing table of their bits: a palette
 * check over a billion weights boxes nothing and stops growing once the limit is passed.
 */
public final class DistinctFloats {
    private final int limit;
    private final int[] bits;
    private final boolean[] used;
    private int size;
    /** Per used slot, its value's position in {@link #sorted()}; made on the first {@link #rankOf}. */
    private int[] ranks;

    /** @param limit distinct values worth telling apart; one more is kept to know the limit was passed */
    public DistinctFloats(int limit) {
        this.limit = limit;
        int capacity = Integer.highestOneBit(Math.max(4, limit + 1) * 4 - 1) << 1;
        bits = new int[capacity];
        used = new boolean[capacity];
    }

    /** Adds {@code v} unless more than {@code limit} distinct values are already in. */
    public void add(float v) {
        if (size > limit) {
            return;
        }
        int b = Float.floatToIntBits(v);
        int mask = bits.length - 1;
        for (int slot = (b * 0x9E3779B9) >>> 7 & mask; ; slot = (slot + 1) & mask) {
            if (!used[slot]) {
                used[slot] = true;
                bits[slot] = b;
                size++;
                return;
            }
            if (bits[slot] == b) {
                return;
            }
        }
    }

    /** Distinct values seen, at most {@code limit + 1}. */
    public int size() {
        return size;
    }

    /** True once more than {@code limit} distinct values were added. */
    public boolean overflowed() {
        return size > limit;
    }

    /**
     * The position in {@link #sorted()} of {@code v}, one of the values added (with no more added
     * since the first call): a table lookup where a binary search cost a palette export most of its time.
     */
    public int rankOf(float v) {
        if (ranks == null) {
            float[] sorted = sorted();
            ranks = new int[bits.length];
            for (int slot = 0; slot < bits.length; slot++) {
                if (used[slot]) {
                    ranks[slot] = Arrays.binarySearch(sorted, Float.intBitsToFloat(bits[slot]));
                }
            }
        }
        int b = Float.floatToIntBits(v);
        int mask = bits.length - 1;
        for (int slot = (b * 0x9E3779B9) >>> 7 & mask; ; slot = (slot + 1) & mask) {
            if (!used[slot]) {
                throw new IllegalArgumentException(v + " is not one of the values added");
            }
            if (bits[slot] == b) {
                return ranks[slot];
            }
        }
    }

    /** The values in ascending order ({@link Float#compare}'s, as {@link Arrays#binarySearch(float[], float)} expects). */
    public float[] sorted() {
        float[] out = new float[size];
        int n = 0;
        for (int i = 0; i < bits.length; i++) {
            if (used[i]) {
                out[n++] = Float.intBitsToFloat(bits[i]);
            }
        }
        Arrays.sort(out);
        return out;
    }
}
