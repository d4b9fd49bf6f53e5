package org.slmworkbench.data;

import java.util.List;
import java.util.function.Supplier;

/**
 * One kind of injected anomaly for a log format, and how often it is injected in each split.
 * The injector emits lines; every line it emits is labelled with {@link #kind()}.
 */
record AnomalySpec(AnomalyKind kind, String description, int inTrain, int inHeldout, Injector injector) {

    /** Receives the lines of one anomalous event; all of them are labelled. */
    @FunctionalInterface
    interface Emitter {
        void emit(long micros, String... lines);

        default void emit(long micros, List<String> lines) {
            emit(micros, lines.toArray(String[]::new));
        }
    }

    @FunctionalInterface
    interface Injector {
        void inject(long micros, Emitter out);
    }

    /** Lines of the i-th event of a burst, stamped at {@code micros}. */
    @FunctionalInterface
    interface BurstStep {
        List<String> lines(long micros, int index);
    }

    static AnomalySpec rare(String description, int inTrain, int inHeldout, Injector injector) {
        return new AnomalySpec(AnomalyKind.RARE_TEMPLATE, description, inTrain, inHeldout, injector);
    }

    static AnomalySpec impossible(String description, int inTrain, int inHeldout, Injector injector) {
        return new AnomalySpec(AnomalyKind.IMPOSSIBLE_VALUE, description, inTrain, inHeldout, injector);
    }

    /**
     * A run of {@code minEvents..maxEvents} similar events, {@code meanGapSeconds} apart on
     * average. {@code newBurst} is called once per burst so a burst can keep its attacker IP or
     * failing upstream while it lasts.
     */
    static AnomalySpec burst(String description, int inTrain, int inHeldout, Dice dice, int minEvents,
            int maxEvents, double meanGapSeconds, Supplier<BurstStep> newBurst) {
        Injector injector = (micros, out) -> {
            BurstStep step = newBurst.get();
            int events = dice.between(minEvents, maxEvents);
            long at = micros;
            for (int i = 0; i < events; i++) {
                out.emit(at, step.lines(at, i));
                at += Math.round(dice.exponential(meanGapSeconds) * 1_000_000);
            }
        };
        return new AnomalySpec(AnomalyKind.BURST, description, inTrain, inHeldout, injector);
    }

    /** An ordinary line whose timestamp lies 1 to 6 hours before the lines around it. */
    static AnomalySpec timestampGoingBack(LogFormat format, Dice dice, int inTrain, int inHeldout) {
        return impossible("an ordinary line stamped 1 to 6 hours in the past", inTrain, inHeldout,
                (micros, out) -> out.emit(micros,
                        format.routineLine(micros - dice.betweenLong(3_600_000_000L, 6 * 3_600_000_000L))));
    }
}
