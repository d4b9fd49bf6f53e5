package org.slmworkbench.generate;

/**
 * How to pick each next token. {@code temperature == 0} means greedy; {@code topK == 0} and
 * {@code topP == 1} switch those filters off.
 */
public record SamplingConfig(int maxNewTokens, double temperature, int topK, double topP, long seed, boolean stopAtEos) {

    public static SamplingConfig greedy(int maxNewTokens) {
        return new SamplingConfig(maxNewTokens, 0, 0, 1, 0, true);
    }

    /** Greedy for exactly {@code tokens} tokens, EOS or not: for timing a fixed generation length. */
    public static SamplingConfig greedyFixedLength(int tokens) {
        return new SamplingConfig(tokens, 0, 0, 1, 0, false);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    public SamplingConfig {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
        }
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
    }

    public Sampler newSampler() {
        return isGreedy() ? Sampler.greedy() : new StochasticSampler(temperature, topK, topP, seed);
    }
}
