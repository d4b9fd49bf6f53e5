package org.slmworkbench.data;

/**
 * Activity level over the day: machines are busiest mid-afternoon (UTC) and quietest around
 * 03:00, which is what gives real logs their daily rhythm.
 */
final class DailyRhythm {
    private static final double QUIETEST = 0.2;
    private static final double QUIETEST_HOUR = 3.0;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private DailyRhythm() {
    }

    /** Activity in (0, 1]: 1 at 15:00, {@value #QUIETEST} at 03:00. */
    static double activity(long epochMicros) {
        double hour = Math.floorMod(epochMicros, MICROS_PER_DAY) / 3_600_000_000.0;
        double wave = (1 - StrictMath.cos(2 * Math.PI * (hour - QUIETEST_HOUR) / 24)) / 2;
        return QUIETEST + (1 - QUIETEST) * wave;
    }

    /** Microseconds until the next activity of a source whose peak mean gap is given. */
    static long nextGapMicros(Dice dice, long nowMicros, double peakGapSeconds) {
        double seconds = dice.exponential(peakGapSeconds) / activity(nowMicros);
        return Math.max(1, Math.round(seconds * 1_000_000));
    }
}
