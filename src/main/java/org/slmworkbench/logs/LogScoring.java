package org.slmworkbench.logs;

import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.checkpoint.LoadedLm;

/**
 * Our score for lines a user hands us, with the terms of {@link OurScorers}: the model's surprise
 * plus the severity the line states, plus the template rarity when there is a normal period to
 * count skeletons in (the same period the alert threshold is calibrated on).
 */
public final class LogScoring {
    /** Share of a normal period whose templates are counted; the rest calibrates the alert threshold. */
    static final double COUNTED_SHARE = 1 - LogBench.HELDOUT_SHARE;

    private LogScoring() {}

    /** Scores with templates counted on a normal period and the alert threshold calibrated on its last stretch. */
    public record Calibrated(List<ScoredLine> lines, AlertThreshold threshold) {}

    public static Calibrated calibrated(LoadedLm lm, LmContext context, List<LogLine> lines, List<LogLine> period,
            double alertsPerTenThousand) {
        int cut = (int) Math.round(period.size() * COUNTED_SHARE);
        List<LogLine> counted = period.subList(0, Math.max(1, cut));
        List<LogLine> calibration = period.subList(Math.min(cut, period.size() - 1), period.size());
        double[] calibrationScores = score(lm, context, calibration, counted).stream().mapToDouble(ScoredLine::score).toArray();
        return new Calibrated(score(lm, context, lines, counted), AlertThreshold.calibrate(calibrationScores, alertsPerTenThousand));
    }

    /** @param period lines of a period to count templates in and calibrate on; empty for none */
    public static List<ScoredLine> score(LoadedLm lm, LmContext context, List<LogLine> lines, List<LogLine> period) {
        TemplateCounts counts = period.isEmpty() ? null : new TemplateCounts(period);
        LmContext.Read read = context.read(lm, lines);
        List<ScoredLine> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            LogLine l = lines.get(i);
            double template = counts == null ? 0 : counts.surprise(l.text());
            double content = Baselines.severityOf(l.text());
            out.add(new ScoredLine(l, read.lm()[i] + template + content, read.lm()[i], template, content, read.tokens().get(i)));
        }
        return out;
    }
}
