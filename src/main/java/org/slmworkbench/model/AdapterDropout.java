package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import java.util.function.Supplier;

/**
 * Dropout on the inputs of LoRA adapters while training, as PEFT's {@code lora_dropout}: the
 * adapter sees dropout(x), kept inputs scaled by 1 / (1 - p), the frozen product sees x.
 *
 * <p>Masks come from a counter-based hash of (run seed, step, adapted matrix, element), never from
 * an RNG's hidden state: a block recomputed for backward ({@link RecomputedBackward}) must see the
 * mask its forward pass saw or the gradients are wrong, and a resumed run must draw the masks an
 * uninterrupted one drew. Outside {@link #training} nothing is dropped, so evaluation, generation
 * and merging never drop.
 */
public final class AdapterDropout {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** The step being trained on this thread, {seed, step}, or null. */
    private static final ThreadLocal<long[]> STEP = new ThreadLocal<>();

    private AdapterDropout() {}

    /** Runs a training step's passes with the adapters' dropout on, its masks those of {@code (seed, step)}. */
    public static <T> T training(long seed, int step, Supplier<T> passes) {
        long[] before = STEP.get();
        STEP.set(new long[] {seed, step});
        try {
            return passes.get();
        } finally {
            STEP.set(before);
        }
    }

    /** {@code x} with the step's mask of {@code matrix} applied, or {@code x} itself outside training or at p = 0. */
    static NDArray apply(NDArray x, double p, String matrix) {
        long[] step = STEP.get();
        if (step == null || p == 0) {
            return x;
        }
        float[] mask = mask(step[0], step[1], matrix, Math.toIntExact(x.size()), p);
        return x.mul(x.getManager().create(mask, x.getShape()));
    }

    /** The mask of {@code n} inputs: 0 for a dropped one (probability p), 1 / (1 - p) for a kept one. */
    static float[] mask(long seed, long step, String matrix, int n, double p) {
        long stream = mix(mix(mix(seed) ^ step) ^ matrix.hashCode());
        long threshold = (long) (p * (1L << 32));
        float kept = (float) (1 / (1 - p));
        float[] mask = new float[n];
        // one 64-bit hash gives two elements' 32-bit draws
        for (int i = 0; i < n; i += 2) {
            long z = mix(stream + (i >>> 1) * GOLDEN);
            mask[i] = (z >>> 32) < threshold ? 0 : kept;
            if (i + 1 < n) {
                mask[i + 1] = (z & 0xFFFFFFFFL) < threshold ? 0 : kept;
            }
        }
        return mask;
    }

    /** SplitMix64's finaliser: every input bit reaches every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
