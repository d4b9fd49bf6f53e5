package org.slmworkbench.data;

import java.util.List;
import java.util.Optional;

/**
 * One event of a generated log: its place on the timeline, the lines it renders to (several for
 * stack traces or oops reports) and, if injected, why it is anomalous.
 *
 * @param micros when it happened, in microseconds since the epoch (the order in the file)
 * @param sequence insertion order, to break ties between events at the same microsecond
 */
record LogEvent(long micros, long sequence, List<String> lines, Optional<AnomalyKind> anomaly) {
    LogEvent {
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an event renders to at least one line");
        }
    }

    /** Bytes this event takes in the file, newlines included (the generator writes ASCII only). */
    long bytes() {
        long total = 0;
        for (String line : lines) {
            total += line.length() + 1;
        }
        return total;
    }
}
