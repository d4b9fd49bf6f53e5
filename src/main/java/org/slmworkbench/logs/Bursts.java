package org.slmworkbench.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups line-labelled anomalies into bursts: a run of anomalous lines of one file and one kind,
 * broken by a change of kind or by more than {@link #GAP} normal lines. An operator is served once a
 * burst raises an alert, so recall is counted per burst as well as per line.
 */
final class Bursts {
    static final int GAP = 10;

    private Bursts() {}

    /** @param kind each line's label kind, null for a normal line */
    static LogTruth truth(List<LogLine> lines, List<String> kind) {
        boolean[] anomalous = new boolean[lines.size()];
        List<String> group = new ArrayList<>(lines.size());
        Map<String, Boolean> groups = new HashMap<>();
        String current = null;
        int lastAnomalous = Integer.MIN_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            String k = kind.get(i);
            anomalous[i] = k != null;
            if (k == null) {
                group.add(null);
                continue;
            }
            boolean sameFile = i > 0 && lastAnomalous >= 0 && lines.get(lastAnomalous).source().equals(lines.get(i).source());
            if (current == null || !sameFile || !k.equals(kind.get(lastAnomalous)) || i - lastAnomalous > GAP + 1) {
                current = lines.get(i).source() + ":" + lines.get(i).number() + " " + k;
                groups.put(current, true);
            }
            group.add(current);
            lastAnomalous = i;
        }
        return new LogTruth(anomalous, group, groups, "burst");
    }
}
