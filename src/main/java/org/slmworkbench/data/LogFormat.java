package org.slmworkbench.data;

import java.util.List;

/** One simulated log source of the sample-log generator: its normal traffic and its anomalies. */
interface LogFormat {
    /** One kind of normal activity of a source, such as an ssh session or a page visit. */
    @FunctionalInterface
    interface Activity {
        void emit(long micros, Timeline out);
    }

    /** The file this source is written to in each split, e.g. {@code syslog.log}. */
    String fileName();

    /** One sentence for the generated README. */
    String description();

    /** Mean seconds between two normal activities at the busiest hour of the day. */
    double peakGapSeconds();

    /** Lines logged when the source starts (boot banner and the like); none by default. */
    default void emitStart(long micros, Timeline out) {
    }

    /**
     * One normal activity starting at {@code micros}. It may schedule follow-up events later on
     * (a session that ends, a block whose replicas arrive).
     */
    void emitNormal(long micros, Timeline out);

    /** An everyday single line stamped with the given time, used for time-going-back anomalies. */
    String routineLine(long micros);

    List<AnomalySpec> anomalies();
}
