package org.slmworkbench.logs;

import java.util.List;
import org.slmworkbench.checkpoint.LoadedLm;

/** Our scorers for the benchmark: the language model's anomaly score, as shipped or adapted. */
public final class OurScorers {
    private OurScorers() {}

    public static LogScorer zeroShot(LoadedLm lm) {
        return new LogScorer("ours, zero-shot", (fit, heldout) -> lines -> lmTerm(lm, lines));
    }

    /** The language model adapted to the earlier part (see {@link Adaptation}); {@code lm} is changed in place. */
    public static LogScorer adapted(LoadedLm lm, Adaptation adaptation, java.util.function.Consumer<String> log) {
        return new LogScorer("ours, adapted", (fit, heldout) -> {
            Adaptation.Outcome o = adaptation.adapt(lm.model(), lm.tokenizer(), fit, heldout);
            log.accept(String.format(java.util.Locale.ROOT, "adapted: held-out loss %.4f -> %.4f, kept step %d of %d run",
                    o.heldoutBefore(), o.heldoutAfter(), o.bestStep(), o.stepsRun()));
            return lines -> lmTerm(lm, lines);
        });
    }

    /** The model's term: largest excess surprise plus mean NLL over the line's masked tokens, in nats. */
    static double[] lmTerm(LoadedLm lm, List<LogLine> lines) {
        return MaskedLineScorer.score(lm.model(), lm.tokenizer(), lines.stream().map(LogLine::text).toList()).stream()
                .mapToDouble(t -> t.maxExcess() + t.meanNll()).toArray();
    }
}
