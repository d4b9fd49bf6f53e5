package org.slmworkbench.logs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;
import org.slmworkbench.checkpoint.LoadedLm;

/**
 * Our score and its ablations. Zero-shot a line scores {@code L + C}; adapted to a normal period of
 * the user's log, a sum of three terms, all in nats:
 *
 * <pre>
 *   S = R(L) + T + C
 *   L = max over the line's tokens of (NLL - entropy of the prediction) + mean token NLL   (the shipped model, see {@link LmContext})
 *   R = L's rarity among the period's last stretch, -ln P(L' >= L), exponential above its 90th percentile   ({@link TailSurprise})
 *   T = ln((n + 1) / (c + 1)), c = times the line's skeleton occurs in the n lines of the period's first part   (template rarity)
 *   C = 1 nat per severity level the line states: warning 1, error/failure 2, fatal/critical 3 (what the line says)
 * </pre>
 *
 * The model itself is not fine-tuned for the score: where a log's earlier part holds its anomalies
 * again and again (OpenStack's faulty instances), a model fitted to it learns them and scores them
 * as normal. The fine-tuned model's L ({@link Adaptation}) is kept as ablation rows beside.
 */
public final class OurScorers {
    private OurScorers() {}

    public static LogScorer zeroShot(LoadedLm lm, LmContext context) {
        return new LogScorer("ours, zero-shot", (fit, heldout) -> lines -> {
            List<ScoredLine> scored = LogScoring.zeroShot(lm, context, lines);
            LinkedHashMap<String, double[]> v = new LinkedHashMap<>();
            v.put("ours, zero-shot (L+C)", sum(scored, s -> s.surprise() + s.content()));
            v.put("  zero-shot L only", sum(scored, ScoredLine::surprise));
            return v;
        });
    }

    /**
     * Adapted to the earlier part: the shipped model {@code base} rescaled and templates counted
     * there; {@code tuned}, a copy fine-tuned on it in place, for the ablation rows.
     */
    public static LogScorer adapted(LoadedLm base, LoadedLm tuned, LmContext context, Adaptation adaptation, Consumer<String> log) {
        return new LogScorer("ours, adapted", (fit, heldout) -> {
            NormalPeriod normal = NormalPeriod.learn(base, context, fit, heldout);
            Adaptation.Outcome o = adaptation.adapt(tuned.model(), tuned.tokenizer(), context, fit, heldout);
            log.accept(String.format(Locale.ROOT, "fine-tuned copy: held-out loss %.4f -> %.4f, kept step %d of %d run",
                    o.heldoutBefore(), o.heldoutAfter(), o.bestStep(), o.stepsRun()));
            NormalPeriod normalTuned = NormalPeriod.learn(tuned, context, fit, heldout);
            return lines -> {
                List<ScoredLine> scored = LogScoring.score(base, context, lines, normal);
                List<ScoredLine> fine = LogScoring.score(tuned, context, lines, normalTuned);
                LinkedHashMap<String, double[]> v = new LinkedHashMap<>();
                v.put("ours, adapted (R(L)+T+C)", sum(scored, ScoredLine::score));
                v.put("  without C (R(L)+T)", sum(scored, s -> s.lm() + s.template()));
                v.put("  without T (R(L)+C)", sum(scored, s -> s.lm() + s.content()));
                v.put("  without L (T+C)", sum(scored, s -> s.template() + s.content()));
                v.put("  R(L) only", sum(scored, ScoredLine::lm));
                v.put("  L not rescaled (L+T+C)", sum(scored, s -> s.surprise() + s.template() + s.content()));
                v.put("  fine-tuned R(L)+T+C", sum(fine, ScoredLine::score));
                v.put("  fine-tuned L+T+C", sum(fine, s -> s.surprise() + s.template() + s.content()));
                v.put("  both R(L)+R(L ft)+T+C", sum(scored, fine, (s, f) -> s.score() + f.lm()));
                return v;
            };
        });
    }

    private static double[] sum(List<ScoredLine> scored, ToDoubleFunction<ScoredLine> terms) {
        return scored.stream().mapToDouble(terms).toArray();
    }

    private static double[] sum(List<ScoredLine> a, List<ScoredLine> b, ToDoubleBiFunction<ScoredLine, ScoredLine> terms) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = terms.applyAsDouble(a.get(i), b.get(i));
        }
        return out;
    }
}
