package org.slmworkbench.logs;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How often each masked skeleton occurs in the lines a scorer learned from. */
final class TemplateCounts implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, Integer> counts = new HashMap<>();
    private final int lines;

    TemplateCounts(List<LogLine> fit) {
        fit.forEach(l -> counts.merge(Skeletons.of(l.text()), 1, Integer::sum));
        lines = fit.size();
    }

    int count(String line) {
        return counts.getOrDefault(Skeletons.of(line), 0);
    }

    /** The skeleton's surprise under add-one frequencies of the earlier part, in nats: ln((n + 1) / (count + 1)). */
    double surprise(String line) {
        return Math.log((lines + 1.0) / (count(line) + 1.0));
    }
}
