package org.slmworkbench.logs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.checkpoint.LoadedLm;

/**
 * Our score for lines a user hands us, with the terms of {@link OurScorers}: without a normal period,
 * the model's raw surprise plus the severity the line states; with one, the surprise rescaled to its
 * rarity in the period plus the template rarity there plus the severity (the period's last stretch
 * also calibrates the alert threshold).
 */
public final class LogScoring {
    /** Share of a normal period whose templates are counted; the rest rescales L and calibrates the alert threshold. */
    static final double COUNTED_SHARE = 1 - LogBench.HELDOUT_SHARE;

    private LogScoring() {}

    /** Scores with a normal period learned from and the alert threshold calibrated on its last stretch. */
    public record Calibrated(List<ScoredLine> lines, AlertThreshold threshold) {}

    public static Calibrated calibrated(LoadedLm lm, LmContext context, List<LogLine> lines, List<LogLine> period,
            double alertsPerTenThousand) {
        Period normal = Period.learn(lm, context, period, alertsPerTenThousand);
        return new Calibrated(normal.scoreWith(lm, context, lines, SkeletonCache.none()), normal.threshold());
    }

    /**
     * What a normal period teaches, learned once and then applied to any number of logs: a Spark
     * job learns it on the driver and ships it to every task, which scores its files with it.
     */
    public static final class Period implements Serializable {
        private static final long serialVersionUID = 1L;
        private final NormalPeriod normal;
        private final AlertThreshold threshold;

        private Period(NormalPeriod normal, AlertThreshold threshold) {
            this.normal = normal;
            this.threshold = threshold;
        }

        /** Templates counted on the period's first part, L rescaled by and the threshold calibrated on the rest. */
        public static Period learn(LoadedLm lm, LmContext context, List<LogLine> period, double alertsPerTenThousand) {
            int cut = (int) Math.round(period.size() * COUNTED_SHARE);
            List<LogLine> counted = period.subList(0, Math.max(1, cut));
            List<LogLine> calibration = period.subList(Math.min(cut, period.size() - 1), period.size());
            // the calibration stretch is read once: it both rescales L and sets the threshold
            LmContext.Read calibrationRead = context.read(lm, calibration);
            NormalPeriod normal = NormalPeriod.learn(counted, calibrationRead);
            double[] calibrationScores = score(calibration, calibrationRead, normal).stream().mapToDouble(ScoredLine::score).toArray();
            return new Period(normal, AlertThreshold.calibrate(calibrationScores, alertsPerTenThousand));
        }

        public AlertThreshold threshold() {
            return threshold;
        }

        /** {@code R(L) + T + C} of each line, in order. */
        public List<ScoredLine> scoreWith(LoadedLm lm, LmContext context, List<LogLine> lines, SkeletonCache cache) {
            return score(lines, context.read(lm, lines, cache), normal);
        }
    }

    /** Zero-shot: {@code L + C}, L the model's raw surprise. */
    public static List<ScoredLine> zeroShot(LoadedLm lm, LmContext context, List<LogLine> lines) {
        return zeroShot(lm, context, lines, SkeletonCache.none());
    }

    /** The same, reading skeletons through {@code cache}. */
    public static List<ScoredLine> zeroShot(LoadedLm lm, LmContext context, List<LogLine> lines, SkeletonCache cache) {
        return score(lines, context.read(lm, lines, cache), null);
    }

    /** @param normal what was learned from a normal period; null for none (zero-shot) */
    static List<ScoredLine> score(LoadedLm lm, LmContext context, List<LogLine> lines, NormalPeriod normal) {
        return score(lines, context.read(lm, lines), normal);
    }

    private static List<ScoredLine> score(List<LogLine> lines, LmContext.Read read, NormalPeriod normal) {
        List<ScoredLine> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            LogLine l = lines.get(i);
            double raw = read.lm()[i];
            double lmTerm = normal == null ? raw : normal.lm().of(raw);
            double template = normal == null ? 0 : normal.counts().surprise(l.text());
            double content = Baselines.severityOf(l.text());
            out.add(new ScoredLine(l, lmTerm + template + content, raw, lmTerm, template, content, read.tokens().get(i)));
        }
        return out;
    }
}
