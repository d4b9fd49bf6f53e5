package org.slmworkbench.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs one {@link LogFormat}: normal traffic with a daily rhythm until the byte budget is spent,
 * anomalies injected at planned points of that budget, and the timeline cut so that the last
 * {@link #HELDOUT_SHARE} of the normal bytes is held out.
 */
final class FormatSimulation {
    static final double HELDOUT_SHARE = 0.10;

    // Anomalies are planned as positions in the byte budget, well clear of the split at 0.90,
    // so a burst never straddles it.
    private static final double TRAIN_FIRST = 0.02;
    private static final double TRAIN_LAST = 0.86;
    private static final double HELDOUT_FIRST = 0.92;
    private static final double HELDOUT_LAST = 0.985;

    /** The events of one source, cut into the two splits, each sorted by time. */
    record SplitLog(List<LogEvent> train, List<LogEvent> heldout) {
    }

    private record Planned(double position, AnomalySpec spec, boolean heldout) {
    }

    /** Where the injected anomalies of each split ended up, to prove none crossed the cut. */
    private static final class AnomalyExtent {
        long lastTrain = Long.MIN_VALUE;
        long firstHeldout = Long.MAX_VALUE;

        void record(boolean heldout, long micros) {
            if (heldout) {
                firstHeldout = Math.min(firstHeldout, micros);
            } else {
                lastTrain = Math.max(lastTrain, micros);
            }
        }
    }

    private FormatSimulation() {
    }

    static SplitLog simulate(LogFormat format, Dice dice, long startMicros, long targetBytes) {
        Timeline timeline = new Timeline();
        List<Planned> plan = plan(format, dice);
        AnomalyExtent extent = new AnomalyExtent();

        format.emitStart(startMicros, timeline);
        long now = startMicros;
        int nextPlanned = 0;
        while (timeline.normalBytes() < targetBytes) {
            now += DailyRhythm.nextGapMicros(dice, now, format.peakGapSeconds());
            format.emitNormal(now, timeline);
            while (nextPlanned < plan.size()
                    && plan.get(nextPlanned).position() * targetBytes <= timeline.normalBytes()) {
                Planned planned = plan.get(nextPlanned++);
                long at = now + dice.betweenLong(0, 1_000_000);
                planned.spec().injector().inject(at, (micros, lines) -> {
                    timeline.anomaly(micros, planned.spec().kind(), lines);
                    extent.record(planned.heldout(), micros);
                });
            }
        }
        SplitLog split = split(timeline.sorted(), timeline.normalBytes());
        checkAnomaliesStayInTheirSplit(format, split, extent);
        return split;
    }

    private static List<Planned> plan(LogFormat format, Dice dice) {
        List<Planned> plan = new ArrayList<>();
        for (AnomalySpec spec : format.anomalies()) {
            for (int i = 0; i < spec.inTrain(); i++) {
                plan.add(new Planned(TRAIN_FIRST + dice.uniform() * (TRAIN_LAST - TRAIN_FIRST), spec, false));
            }
            for (int i = 0; i < spec.inHeldout(); i++) {
                plan.add(new Planned(HELDOUT_FIRST + dice.uniform() * (HELDOUT_LAST - HELDOUT_FIRST), spec, true));
            }
        }
        plan.sort(Comparator.comparingDouble(Planned::position));
        return plan;
    }

    /** Cuts before the first event at which the normal bytes reach the train share. */
    private static SplitLog split(List<LogEvent> sorted, long normalBytes) {
        long trainBudget = Math.round(normalBytes * (1 - HELDOUT_SHARE));
        long seen = 0;
        int cut = sorted.size();
        for (int i = 0; i < sorted.size(); i++) {
            if (seen >= trainBudget) {
                cut = i;
                break;
            }
            if (sorted.get(i).anomaly().isEmpty()) {
                seen += sorted.get(i).bytes();
            }
        }
        return new SplitLog(List.copyOf(sorted.subList(0, cut)), List.copyOf(sorted.subList(cut, sorted.size())));
    }

    private static void checkAnomaliesStayInTheirSplit(LogFormat format, SplitLog split, AnomalyExtent extent) {
        long splitMicros = split.heldout().isEmpty() ? Long.MAX_VALUE : split.heldout().get(0).micros();
        if (extent.lastTrain >= splitMicros || extent.firstHeldout < splitMicros) {
            // Only a change to the margins above or to a format's rates can cause this.
            throw new IllegalStateException(format.fileName() + ": an injected anomaly crossed the train/heldout split");
        }
    }
}
