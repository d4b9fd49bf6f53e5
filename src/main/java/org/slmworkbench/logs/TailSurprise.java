package org.slmworkbench.logs;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A raw score re-expressed as its surprise in a normal period, in nats: {@code -ln P(score >= x)}
 * among the period's scores, with the tail above their 90th percentile {@code u} an exponential of
 * the period's mean excess {@code e} over it (peaks over threshold), so the values beyond the
 * period's largest keep their order instead of all meeting the last rank:
 *
 * <pre>
 *   x <= u:  -ln((1 + #{period scores >= x}) / (n + 1))
 *   x >  u:  ln 10 + (x - u) / e
 * </pre>
 *
 * A language model's raw surprise has an offset and a spread of its own on each log (about 19 nats
 * on every line of one, 1 on another), which in a plain sum either swamps the template and severity
 * terms or vanishes beside them; as a rarity in the user's own normal period it is in the same unit
 * as the template term, {@code ln} of an inverse frequency.
 */
final class TailSurprise implements Serializable {
    private static final long serialVersionUID = 1L;
    static final double TAIL_QUANTILE = 0.9;
    private final double[] sorted;
    private final double tailFrom;
    private final double meanExcess;

    private TailSurprise(double[] sorted, double tailFrom, double meanExcess) {
        this.sorted = sorted;
        this.tailFrom = tailFrom;
        this.meanExcess = meanExcess;
    }

    static TailSurprise fit(double[] period) {
        if (period.length == 0) {
            throw new IllegalArgumentException("no normal-period scores to rescale by");
        }
        double[] sorted = period.clone();
        Arrays.sort(sorted);
        double u = quantile(sorted, TAIL_QUANTILE);
        double excess = Arrays.stream(sorted).filter(v -> v > u).map(v -> v - u).average().orElse(0);
        return new TailSurprise(sorted, u, excess);
    }

    double of(double x) {
        if (x > tailFrom && meanExcess > 0) {
            return -Math.log(1 - TAIL_QUANTILE) + (x - tailFrom) / meanExcess;
        }
        int below = lowerBound(x);
        return -Math.log((1.0 + sorted.length - below) / (sorted.length + 1.0));
    }

    /** The first index whose value is at least {@code x}. */
    private int lowerBound(double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Linear interpolation between the closest ranks. */
    private static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int i = (int) Math.floor(at);
        return i + 1 < sorted.length ? sorted[i] + (at - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}
