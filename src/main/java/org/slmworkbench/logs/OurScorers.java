package org.slmworkbench.logs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slmworkbench.checkpoint.LoadedLm;

/**
 * Our score and its ablations. A line's score is a sum of three terms, all in nats:
 *
 * <pre>
 *   S = L + T + C
 *   L = max over the line's tokens of (NLL - entropy of the prediction) + mean token NLL   (the language model, see {@link LmContext})
 *   T = ln((n + 1) / (c + 1)), c = times the line's skeleton occurs in the n lines adapted to   (template rarity)
 *   C = 1 nat per severity level the line states: warning 1, error/failure 2, fatal/critical 3 (what the line says)
 * </pre>
 *
 * Zero-shot there is nothing to count, so the shipped model scores {@code L + C}; adapted, the
 * model is fine-tuned on the earlier part ({@link Adaptation}) and T counts it.
 */
public final class OurScorers {
    private OurScorers() {}

    public static LogScorer zeroShot(LoadedLm lm, LmContext context) {
        return new LogScorer("ours, zero-shot", (fit, heldout) -> lines -> {
            List<ScoredLine> scored = LogScoring.score(lm, context, lines, List.of());
            LinkedHashMap<String, double[]> v = new LinkedHashMap<>();
            v.put("ours, zero-shot (L+C)", terms(scored, 1, 0, 1));
            v.put("  zero-shot L only", terms(scored, 1, 0, 0));
            return v;
        });
    }

    /** The language model adapted to the earlier part; {@code lm} is changed in place. */
    public static LogScorer adapted(LoadedLm lm, LmContext context, Adaptation adaptation, Consumer<String> log) {
        return new LogScorer("ours, adapted", (fit, heldout) -> {
            Adaptation.Outcome o = adaptation.adapt(lm.model(), lm.tokenizer(), context, fit, heldout);
            log.accept(String.format(Locale.ROOT, "adapted: held-out loss %.4f -> %.4f, kept step %d of %d run", o.heldoutBefore(),
                    o.heldoutAfter(), o.bestStep(), o.stepsRun()));
            return lines -> {
                List<ScoredLine> scored = LogScoring.score(lm, context, lines, fit);
                LinkedHashMap<String, double[]> v = new LinkedHashMap<>();
                v.put("ours, adapted (L+T+C)", terms(scored, 1, 1, 1));
                v.put("  without C (L+T)", terms(scored, 1, 1, 0));
                v.put("  without T (L+C)", terms(scored, 1, 0, 1));
                v.put("  without L (T+C)", terms(scored, 0, 1, 1));
                v.put("  L only", terms(scored, 1, 0, 0));
                return v;
            };
        });
    }

    /** The sum of the chosen terms (weight 1 or 0 each) for every line. */
    private static double[] terms(List<ScoredLine> scored, int l, int t, int c) {
        return scored.stream().mapToDouble(s -> l * s.lm() + t * s.template() + c * s.content()).toArray();
    }
}
