package org.slmworkbench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with its moments in the open, so a checkpoint can save them and a resume continues
 * exactly. Each update is one fused native call (PyTorch's decoupled-decay Adam step through DJL),
 * which also clears the gradient; {@code gradScale} carries the global-norm clip factor.
 */
public final class AdamW implements AutoCloseable {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.95f;
    public static final float EPS = 1e-8f;

    private final NDManager manager;
    private final Map<String, NDArray> means = new LinkedHashMap<>();
    private final Map<String, NDArray> variances = new LinkedHashMap<>();
    private int step;

    public AdamW(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** Number of updates applied so far. */
    public int step() {
        return step;
    }

    /** Starts a new update round; all {@link #update} calls of one step share its bias correction. */
    public void beginStep() {
        step++;
    }

    public void update(String name, NDArray weight, NDArray grad, float lr, float weightDecay, float gradScale) {
        NDArray m = means.computeIfAbsent(name, k -> manager.zeros(weight.getShape()));
        NDArray v = variances.computeIfAbsent(name, k -> manager.zeros(weight.getShape()));
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        float lrCorrected = (float) (lr * Math.sqrt(c2) / c1);
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight),
                lr, lrCorrected, weightDecay, gradScale, -1f, BETA1, BETA2, EPS, false, true);
    }

    /** Moments by name, prefixed {@code m.} and {@code v.}, for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        means.forEach((k, a) -> s.put("m." + k, a));
        variances.forEach((k, a) -> s.put("v." + k, a));
        return s;
    }

    /** Restores moments saved by {@link #state()} at update count {@code savedStep}. */
    public void restore(Map<String, float[]> saved, Map<String, NDArray> weights, int savedStep) {
        for (Map.Entry<String, NDArray> w : weights.entrySet()) {
            float[] m = saved.get("m." + w.getKey());
            float[] v = saved.get("v." + w.getKey());
            if (m == null || v == null) {
                throw new IllegalArgumentException("optimizer state has no moments for " + w.getKey());
            }
            means.put(w.getKey(), manager.create(m, w.getValue().getShape()));
            variances.put(w.getKey(), manager.create(v, w.getValue().getShape()));
        }
        step = savedStep;
    }

    @Override
    public void close() {
        manager.close();
    }
}
