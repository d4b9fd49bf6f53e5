package org.slmworkbench.logs;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * An alert threshold calibrated without labels: the score that the given share of the adaptation
 * period's lines exceed. Since most of a log is normal, the rate is the expected number of false
 * alerts per 10,000 normal lines; labels never take part in choosing it.
 *
 * @param perTenThousand the alert rate asked for
 * @param threshold a line alerts when its score is above this
 */
public record AlertThreshold(double perTenThousand, double threshold) implements Serializable {
    public static AlertThreshold calibrate(double[] adaptationScores, double perTenThousand) {
        if (!(perTenThousand > 0 && perTenThousand <= 10_000)) {
            throw new IllegalArgumentException("the alert rate must be in (0, 10000] per 10,000 lines, got " + perTenThousand);
        }
        if (adaptationScores.length == 0) {
            throw new IllegalArgumentException("no adaptation-period scores to calibrate on");
        }
        double[] sorted = adaptationScores.clone();
        Arrays.sort(sorted);
        int above = (int) Math.floor(perTenThousand / 10_000 * sorted.length);
        return new AlertThreshold(perTenThousand, sorted[Math.max(0, sorted.length - 1 - above)]);
    }

    public boolean alerts(double score) {
        return score > threshold;
    }

    public String describe() {
        return String.format(Locale.ROOT, "about %s alerts per 10,000 normal lines (score > %.4f)",
                perTenThousand == Math.rint(perTenThousand) ? String.valueOf((long) perTenThousand) : String.valueOf(perTenThousand),
                threshold);
    }
}
