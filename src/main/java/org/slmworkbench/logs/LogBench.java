package org.slmworkbench.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real-log benchmark on one labelled log: every scorer is fitted on the earlier part of the
 * time split (its first {@code 1 - heldoutShare}; the rest is held out for early stopping and
 * calibration), its alert threshold is calibrated on the held-out stretch at the asked rate, and its
 * scores on the later part are judged against the truth, which only this class reads.
 */
public final class LogBench {
    public static final double HELDOUT_SHARE = 0.2;

    /** One scorer's figures, its threshold and how long fitting and scoring took. */
    public record Row(String scorer, Detection detection, AlertThreshold threshold, double seconds) {}

    /** The split's parts as a scorer sees them: fitted on {@code fit}, calibrated on {@code calibration}. */
    public record Parts(List<LogLine> fit, List<LogLine> calibration, List<LogLine> test) {
        public static Parts of(LogSplit split) {
            int cut = (int) Math.round(split.adapt().size() * LogScoring.COUNTED_SHARE);
            return new Parts(split.adapt().subList(0, cut), split.adapt().subList(cut, split.adapt().size()), split.test());
        }
    }

    private LogBench() {}

    public static List<Row> run(LabelledLog log, List<LogScorer> scorers, double alertsPerTenThousand) {
        Parts parts = Parts.of(log.split());
        List<Row> rows = new ArrayList<>();
        for (LogScorer s : scorers) {
            long t0 = System.nanoTime();
            LogScorer.Fitted fitted = s.fit(parts.fit(), parts.calibration());
            Map<String, double[]> calibration = fitted.score(parts.calibration());
            Map<String, double[]> test = fitted.score(parts.test());
            double seconds = (System.nanoTime() - t0) / 1e9;
            test.forEach((variant, scores) -> {
                AlertThreshold threshold = AlertThreshold.calibrate(calibration.get(variant), alertsPerTenThousand);
                rows.add(new Row(variant, Detection.of(scores, log.truth(), threshold), threshold, seconds));
            });
        }
        return rows;
    }
}
