package org.slmworkbench.logs;

import java.util.List;
import java.util.Map;

/**
 * The ground truth of a split's later part, kept apart from its text: whether each test line is
 * anomalous, which group it belongs to (an attack burst, an instance, a job; null for none) and
 * each group's label. {@code groupKind} names what a group is, for the report.
 */
public record LogTruth(boolean[] anomalous, List<String> group, Map<String, Boolean> groupAnomalous, String groupKind) {
    public LogTruth {
        if (group.size() != anomalous.length) {
            throw new IllegalArgumentException("one group per line expected");
        }
        groupAnomalous = Map.copyOf(groupAnomalous);
    }

    /** True when lines carry their group's label (sessions, jobs) rather than labels of their own. */
    public boolean sessionLabelled() {
        return !groupKind.equals("burst");
    }
}
