package org.slmworkbench.logs;

import java.util.List;

/**
 * A named anomaly scorer. Fitted on the earlier part of a log (with its last stretch held out, for
 * scorers that train), it scores other lines, higher meaning more anomalous. It is given log lines
 * only, never labels.
 */
public record LogScorer(String name, Fitter fitter) {
    @FunctionalInterface
    public interface Fitter {
        Fitted fit(List<LogLine> fit, List<LogLine> heldout);
    }

    @FunctionalInterface
    public interface Fitted {
        double[] score(List<LogLine> lines);
    }

    public Fitted fit(List<LogLine> fit, List<LogLine> heldout) {
        return fitter.fit(fit, heldout);
    }
}
