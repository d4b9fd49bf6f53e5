package org.slmworkbench.tokenizer;

/** One BPE merge: the adjacent tokens {@code left right} become {@code result}. */
record Merge(int left, int right, int result) {

    /** Both ids in one long, the key under which pairs are counted and looked up. */
    long pairKey() {
        return pairKey(left, right);
    }

    static long pairKey(int left, int right) {
        return ((long) left << 32) | right;
    }

    static int leftOf(long pairKey) {
        return (int) (pairKey >>> 32);
    }

    static int rightOf(long pairKey) {
        return (int) pairKey;
    }
}
