package org.slmworkbench.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.TaskControl;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.train.Losses;

/**
 * Quality of a model and of its compressed copies on held-out text, scored one window of
 * {@link #WINDOW} tokens at a time, so that a figure is on screen after the first window and
 * tightens as more are scored: perplexity, next-token accuracy, and the copy's top-1 agreement and
 * KL divergence against the base, each with a 95% interval. The base's log-probabilities of every
 * window scored are kept (a window is {@code WINDOW × vocabulary} floats: 16 MB at TinyLlama's),
 * so a copy scored later runs only itself. Windows do not overlap and each starts without context:
 * its figures are those of 128-token windows, not the bench's 512.
 */
public final class QualityWindows {
    public static final int WINDOW = 128;
    /** Two-sided 95% normal quantile. */
    private static final double Z95 = 1.96;

    private final CausalLm base;
    private final int[] tokens;
    private final int window;
    private final List<float[]> baseLogProbs = new ArrayList<>();
    private final List<long[]> baseTop = new ArrayList<>();
    private final List<float[]> baseNll = new ArrayList<>();

    /** @param tokens the held-out stream; windows are taken from its start */
    public QualityWindows(CausalLm base, int[] tokens) {
        this.base = base;
        this.tokens = tokens;
        this.window = Math.min(WINDOW, base.maxContext());
    }

    /** Windows the held-out text holds (each needs one token past its end as the last target). */
    public int windows() {
        return Math.max(0, (tokens.length - 1) / window);
    }

    /** Windows the base has been scored on so far. */
    public int baseWindows() {
        return baseLogProbs.size();
    }

    /**
     * Scores window {@code w} of {@code copy} into {@code tally}, scoring the base's window first if
     * it is not yet (its figures advance too); {@code copy} may be the base itself.
     */
    public void score(CausalLm copy, int w, Tally tally, TaskControl control) {
        while (baseWindows() <= w) {
            scoreBase(baseWindows(), control);
        }
        if (copy == base) {
            tally.addAll(baseTallyOf(w));
            return;
        }
        int v = base.vocabSize();
        try (NDManager m = copy.manager().newSubManager()) {
            NDArray p = m.create(baseLogProbs.get(w), new Shape(window, v));
            long[] baseTopW = baseTop.get(w);
            LogitRows.bySlabs((first, s) -> {
                NDArray q = Losses.logProbs(s[0]);
                float[] nll = Losses.nll(q, s[2]).toFloatArray();
                long[] top = s[0].argMax(1).toLongArray();
                float[] kl = s[1].exp().mul(s[1].sub(q)).sum(new int[] {1}).toFloatArray();
                for (int t = 0; t < nll.length; t++) {
                    int at = first + t;
                    tally.add(nll[t], top[t] == tokens[w * window + at + 1], top[t] == baseTopW[at], kl[t]);
                }
            }, Losses.rows(copy.forward(ids(m, w), control)), p, targets(m, w).reshape(-1, 1));
        }
    }

    private void scoreBase(int w, TaskControl control) {
        try (NDManager m = base.manager().newSubManager()) {
            NDArray p = Losses.logProbs(base.forward(ids(m, w), control));
            float[] nll = Losses.nll(p, targets(m, w)).toFloatArray();
            long[] top = p.argMax(1).toLongArray();
            baseLogProbs.add(p.toFloatArray());
            baseTop.add(top);
            baseNll.add(nll);
        }
    }

    /** The base's own tally of window {@code w}, for a "copy" that is the base. */
    private Tally baseTallyOf(int w) {
        Tally t = new Tally();
        float[] nll = baseNll.get(w);
        long[] top = baseTop.get(w);
        for (int i = 0; i < window; i++) {
            t.add(nll[i], top[i] == tokens[w * window + i + 1], true, 0);
        }
        return t;
    }

    private NDArray ids(NDManager m, int w) {
        long[] x = new long[window];
        for (int t = 0; t < window; t++) {
            x[t] = tokens[w * window + t];
        }
        return m.create(x, new Shape(1, window));
    }

    private NDArray targets(NDManager m, int w) {
        long[] y = new long[window];
        for (int t = 0; t < window; t++) {
            y[t] = tokens[w * window + t + 1];
        }
        return m.create(y, new Shape(1, window));
    }

    /** A figure and the half-width of its 95% interval. */
    public record Estimate(double value, double halfWidth) {
        static final Estimate NONE = new Estimate(Double.NaN, Double.NaN);
    }

    /** Figures over {@code tokens} scored positions. */
    public record Figures(Estimate perplexity, double nextTokenAccuracy, Estimate top1Agreement, Estimate meanKl, long tokens) {}

    /**
     * Running sums over scored positions. Intervals treat positions as independent, which
     * neighbouring tokens are not, so they are a lower bound on the uncertainty, fine for telling a
     * settled figure from one still moving.
     */
    public static final class Tally {
        private long n;
        private double nll;
        private double nll2;
        private long hits;
        private long same;
        private double kl;
        private double kl2;

        void add(double tokenNll, boolean hit, boolean agrees, double tokenKl) {
            n++;
            nll += tokenNll;
            nll2 += tokenNll * tokenNll;
            hits += hit ? 1 : 0;
            same += agrees ? 1 : 0;
            kl += tokenKl;
            kl2 += tokenKl * tokenKl;
        }

        void addAll(Tally o) {
            n += o.n;
            nll += o.nll;
            nll2 += o.nll2;
            hits += o.hits;
            same += o.same;
            kl += o.kl;
            kl2 += o.kl2;
        }

        public long tokens() {
            return n;
        }

        /** The figures so far; perplexity's interval is that of the mean NLL carried through exp, halved. */
        public Figures figures() {
            if (n == 0) {
                return new Figures(Estimate.NONE, Double.NaN, Estimate.NONE, Estimate.NONE, 0);
            }
            double meanNll = nll / n;
            double h = Z95 * Math.sqrt(variance(nll, nll2) / n);
            Estimate ppl = new Estimate(Math.exp(meanNll), (Math.exp(meanNll + h) - Math.exp(meanNll - h)) / 2);
            double p = (double) same / n;
            Estimate top1 = new Estimate(p, Z95 * Math.sqrt(p * (1 - p) / n));
            Estimate klE = new Estimate(kl / n, Z95 * Math.sqrt(variance(kl, kl2) / n));
            return new Figures(ppl, (double) hits / n, top1, klE, n);
        }

        private double variance(double sum, double sumSquares) {
            if (n < 2) {
                return Double.NaN;
            }
            double mean = sum / n;
            return Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
        }
    }
}
