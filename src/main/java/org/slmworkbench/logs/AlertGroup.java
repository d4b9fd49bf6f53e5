package org.slmworkbench.logs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts of one masked skeleton: how many, the first and last line that raised one, and the worst
 * of them. A scan of thousands of requests for one page pattern is one row, not thousands.
 */
public record AlertGroup(String skeleton, int count, LogLine first, LogLine last, ScoredLine worst) {
    /** Groups of the lines above the threshold, worst group first. */
    public static List<AlertGroup> of(List<ScoredLine> lines, AlertThreshold threshold) {
        Map<String, List<ScoredLine>> bySkeleton = new LinkedHashMap<>();
        for (ScoredLine s : lines) {
            if (threshold.alerts(s.score())) {
                bySkeleton.computeIfAbsent(s.skeleton(), k -> new ArrayList<>()).add(s);
            }
        }
        List<AlertGroup> groups = new ArrayList<>();
        bySkeleton.forEach((skeleton, members) -> groups.add(new AlertGroup(skeleton, members.size(), members.get(0).line(),
                members.get(members.size() - 1).line(), members.stream().max(Comparator.comparingDouble(ScoredLine::score)).orElseThrow())));
        groups.sort(Comparator.comparingDouble((AlertGroup g) -> g.worst().score()).reversed());
        return groups;
    }
}
