package org.slmworkbench.lora;

import java.util.Random;

/** Adapters for tests in any package. */
public final class LoraFixtures {
    private LoraFixtures() {}

    /** B set to small random values: a fresh adapter's B is zero, which would hide a wrong product. */
    public static LoraModel withRandomFactors(LoraModel lora, long seed) {
        Random r = new Random(seed);
        lora.adapters().values().forEach(a -> {
            float[] b = new float[Math.toIntExact(a.b().getShape().size())];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (r.nextGaussian() * 0.05);
            }
            a.b().set(b);
        });
        return lora;
    }
}
