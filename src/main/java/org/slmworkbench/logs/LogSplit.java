package org.slmworkbench.logs;

import java.util.List;

/**
 * A log cut by time: the earlier part a scorer may adapt to, the later part it is judged on, and a
 * sentence saying how the cut was made. It holds only what the systems wrote, never a label, so
 * anything handed a split cannot read the ground truth.
 */
public record LogSplit(String name, List<LogLine> adapt, List<LogLine> test, String how) {
    public LogSplit {
        adapt = List.copyOf(adapt);
        test = List.copyOf(test);
        if (adapt.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException(name + ": both parts of the split need lines");
        }
    }
}
