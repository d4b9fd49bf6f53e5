package org.slmworkbench.generate;

/** Picks the next token from a row of logits. */
@FunctionalInterface
public interface Sampler {
    int sample(float[] logits);

    static Sampler greedy() {
        return Sampler::argmax;
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
