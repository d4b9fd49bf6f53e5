package org.slmworkbench.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Events of one log source, added in any order (a session schedules its own end) and read back
 * sorted by time, ties kept in insertion order.
 */
final class Timeline {
    private static final Comparator<LogEvent> BY_TIME =
            Comparator.comparingLong(LogEvent::micros).thenComparingLong(LogEvent::sequence);

    private final List<LogEvent> events = new ArrayList<>();
    private long nextSequence;
    private long normalBytes;

    void normal(long micros, String... lines) {
        add(micros, Optional.empty(), List.of(lines));
    }

    void normal(long micros, List<String> lines) {
        add(micros, Optional.empty(), lines);
    }

    void anomaly(long micros, AnomalyKind kind, String... lines) {
        add(micros, Optional.of(kind), List.of(lines));
    }

    List<LogEvent> sorted() {
        List<LogEvent> copy = new ArrayList<>(events);
        copy.sort(BY_TIME);
        return copy;
    }

    /** Bytes of the normal (not injected) events added so far. */
    long normalBytes() {
        return normalBytes;
    }

    private void add(long micros, Optional<AnomalyKind> anomaly, List<String> lines) {
        LogEvent event = new LogEvent(micros, nextSequence++, lines, anomaly);
        events.add(event);
        if (anomaly.isEmpty()) {
            normalBytes += event.bytes();
        }
    }
}
