package org.slmworkbench.train;

/**
 * Size of a new model to train and how its tokenizer splits text. {@code intermediate == 0} picks
 * SwiGLU's usual 8/3 · hidden, rounded up to a multiple of 32 (parameter-matched to a 4x GELU
 * MLP). {@code splitDigits} gives every digit its own token, so counters, ports and timestamps are
 * predicted digit by digit.
 */
public record ModelShape(
        int layers, int hidden, int heads, int kvHeads, int intermediate, int context, int vocab, boolean charLevel, boolean splitDigits) {

    public int intermediateSize() {
        return intermediate > 0 ? intermediate : ((hidden * 8 / 3 + 31) / 32) * 32;
    }

    public void validate() {
        if (layers < 1 || hidden < 8 || heads < 1 || kvHeads < 1 || context < 2) {
            throw new IllegalArgumentException("layers, heads and kv-heads must be >= 1, hidden >= 8, context >= 2");
        }
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("hidden (" + hidden + ") must split into " + heads + " heads of even size");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must be a multiple of kv-heads (" + kvHeads + ")");
        }
        if (!charLevel && (vocab < 258 || vocab > 65536)) {
            throw new IllegalArgumentException("vocab must be in 258..65536 for byte-level BPE, got " + vocab);
        }
    }
}
