package org.slmworkbench.logs;

import ai.djl.nn.Parameter;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slmworkbench.TaskControl;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;
import org.slmworkbench.train.TokenWindows;
import org.slmworkbench.train.TrainConfig;
import org.slmworkbench.train.Trainer;
import org.slmworkbench.train.TrainingProgress;

/**
 * Adapts a log model to a user's log without labels: a short fine-tune on the earlier part's
 * lines as the scorer reads them ({@link LmContext}) at a low rate, with the last stretch of the
 * earlier part held out. Training stops once the held-out loss has not improved for {@link
 * #PATIENCE} evaluations and the weights of the best evaluation are put back, so the model learns
 * the log's usual lines without memorising its rare ones. Anomalies that recur through the earlier
 * part are not rare, and it learns them; so our score keeps the shipped model ({@link OurScorers})
 * and the benchmark reports this fine-tune as ablation rows.
 *
 * @param steps at most this many updates
 * @param lr peak learning rate
 * @param evalEvery held-out loss every this many steps
 * @param mix lines of a general corpus trained on beside the user's (as many as the user's at most,
 *     spread evenly), so the model keeps what it knew of other logs; empty for none
 */
public record Adaptation(int steps, double lr, int batch, int evalEvery, long seed, List<LogLine> mix) {
    static final int PATIENCE = 2;

    public Adaptation {
        mix = List.copyOf(mix);
    }

    /** What the adaptation did: held-out loss before and after, and the step whose weights were kept. */
    public record Outcome(double heldoutBefore, double heldoutAfter, int bestStep, int stepsRun) {}

    public Outcome adapt(CausalLm model, TextTokenizer tok, LmContext reading, List<LogLine> fit, List<LogLine> heldout) {
        int context = model.maxContext();
        List<LogLine> trained = new java.util.ArrayList<>(fit);
        int mixed = Math.min(mix.size(), fit.size());
        for (int i = 0; i < mixed; i++) {
            trained.add(mix.get((int) ((long) i * mix.size() / mixed)));
        }
        TokenWindows train = windows(tok, reading, trained, context);
        TokenWindows held = windows(tok, reading, heldout, context);
        TrainConfig config = TrainConfig.defaults(steps, batch, context, lr, seed).withEvalEvery(evalEvery);
        TaskControl control = new TaskControl();
        try (Trainer trainer = new Trainer(model, config, train, held)) {
            double before = trainer.evaluate(held, config.evalWindows());
            Best best = new Best(before, model);
            trainer.run(p -> best.offer(p, model, control), control, null);
            best.restore(model);
            return new Outcome(before, best.loss, best.step, best.lastStep);
        }
    }

    private static TokenWindows windows(TextTokenizer tok, LmContext reading, List<LogLine> lines, int context) {
        StringBuilder text = new StringBuilder();
        for (LogLine l : lines) {
            text.append(reading.modelText(l.text())).append('\n');
        }
        int[] ids = tok.encode(text.toString());
        if (ids.length < context + 1) {
            // a short log repeats so that one window fits; it is still only what the log holds
            int[] longer = new int[context + 1];
            for (int i = 0; i < longer.length; i++) {
                longer[i] = ids[i % ids.length];
            }
            ids = longer;
        }
        return new TokenWindows(ids, context);
    }

    /** The best held-out loss so far and a copy of the weights that reached it. */
    private static final class Best {
        double loss;
        int step;
        int lastStep;
        int worseEvaluations;
        Map<String, float[]> weights = new HashMap<>();

        Best(double loss, CausalLm model) {
            this.loss = loss;
            keep(model);
        }

        void offer(TrainingProgress p, CausalLm model, TaskControl control) {
            lastStep = p.step();
            if (Double.isNaN(p.heldoutLoss())) {
                return;
            }
            if (p.heldoutLoss() < loss) {
                loss = p.heldoutLoss();
                step = p.step();
                worseEvaluations = 0;
                keep(model);
            } else if (++worseEvaluations >= PATIENCE) {
                control.cancel();
            }
        }

        private void keep(CausalLm model) {
            model.parameters().forEach((name, p) -> weights.put(name, p.getArray().toFloatArray()));
        }

        void restore(CausalLm model) {
            for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
                e.getValue().getArray().set(FloatBuffer.wrap(weights.get(e.getKey())));
            }
        }
    }
}
