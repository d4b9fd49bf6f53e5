package org.slmworkbench.logs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * A named anomaly scorer. Fitted on the earlier part of a log (with its last stretch held out, for
 * scorers that train), it scores other lines, higher meaning more anomalous. It is given log lines
 * only, never labels. A scorer whose score is a sum of terms may report variants that leave terms
 * out (ablation rows), all from one fit.
 */
public record LogScorer(String name, Fitter fitter) {
    @FunctionalInterface
    public interface Fitter {
        Fitted fit(List<LogLine> fit, List<LogLine> heldout);
    }

    @FunctionalInterface
    public interface Fitted {
        /** Scores by variant name, in report order; a plain scorer has one variant, named as itself. */
        LinkedHashMap<String, double[]> score(List<LogLine> lines);
    }

    /** A scorer of one variant: {@code fitter} turns the lines to learn from into a line scorer. */
    public static LogScorer single(String name, Function<List<LogLine>, Function<List<LogLine>, double[]>> fitter) {
        return new LogScorer(name, (fit, heldout) -> {
            Function<List<LogLine>, double[]> scorer = fitter.apply(fit);
            return lines -> {
                LinkedHashMap<String, double[]> variants = new LinkedHashMap<>();
                variants.put(name, scorer.apply(lines));
                return variants;
            };
        });
    }

    public Fitted fit(List<LogLine> fit, List<LogLine> heldout) {
        return fitter.fit(fit, heldout);
    }
}
