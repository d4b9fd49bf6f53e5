package org.slmworkbench.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Temperature, then top-k, then top-p (nucleus) filtering, sampled from a seeded stream. */
public final class StochasticSampler implements Sampler {
    private final double temperature;
    private final int topK;
    private final double topP;
    private final SplittableRandom random;

    public StochasticSampler(double temperature, int topK, double topP, long seed) {
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int sample(float[] logits) {
        int n = logits.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int keep = topK > 0 ? Math.min(topK, n) : n;
        double max = logits[order[0]];
        double[] probs = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            probs[i] = Math.exp((logits[order[i]] - max) / temperature);
            total += probs[i];
        }
        // nucleus: the smallest prefix whose mass reaches topP
        double cumulative = 0;
        int nucleus = keep;
        for (int i = 0; i < keep; i++) {
            cumulative += probs[i] / total;
            if (cumulative >= topP) {
                nucleus = i + 1;
                break;
            }
        }
        double mass = 0;
        for (int i = 0; i < nucleus; i++) {
            mass += probs[i];
        }
        double u = random.nextDouble() * mass;
        for (int i = 0; i < nucleus; i++) {
            u -= probs[i];
            if (u <= 0) {
                return order[i];
            }
        }
        return order[nucleus - 1];
    }
}
