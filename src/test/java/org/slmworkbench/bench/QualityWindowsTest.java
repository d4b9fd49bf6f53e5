package org.slmworkbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.slmworkbench.TaskControl;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.compress.CompressedModel;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.compress.Compressor;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;

class QualityWindowsTest {
    /** Windows are the model's context when that is shorter than 128 tokens: the tiny model's 64. */
    private static final int WINDOW = 64;

    private static int[] stream(int n, int vocab) {
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = (int) ((i * 2654435761L) % vocab);
        }
        return tokens;
    }

    @Test
    void oneWindowOfTheBaseIsTheEvaluatorsFigureOnThoseTokens() {
        LlamaConfig c = TinyModels.config(300);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(c, m, 2)) {
            int[] tokens = stream(WINDOW + 1, 300);
            QualityWindows q = new QualityWindows(model, tokens);
            assertEquals(1, q.windows());
            QualityWindows.Tally t = new QualityWindows.Tally();
            q.score(model, 0, t, TaskControl.none());
            QualityWindows.Figures f = t.figures();
            // the evaluator sees the same 128 positions in one window of the model's context
            EvalReport e = Evaluator.evaluate(model, tokens, 0);
            assertEquals(WINDOW, f.tokens());
            assertEquals(e.perplexity(), f.perplexity().value(), 1e-4 * e.perplexity());
            assertEquals(e.nextTokenAccuracy(), f.nextTokenAccuracy(), 1e-9);
            // the base against itself
            assertEquals(1.0, f.top1Agreement().value());
            assertEquals(0.0, f.meanKl().value(), 1e-9);
        }
    }

    @Test
    void aCopysFiguresTightenAsWindowsAreAddedAndMatchTheWholeRunsAgreement() {
        LlamaConfig c = TinyModels.config(300);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(c, m, 2);
                CompressedModel copy = Compressor.compress(model, CompressionConfig.parse("prune=0.6"), m)) {
            int[] tokens = stream(8 * WINDOW + 1, 300);
            QualityWindows q = new QualityWindows(model, tokens);
            assertEquals(8, q.windows());
            QualityWindows.Tally t = new QualityWindows.Tally();
            q.score(copy.model(), 0, t, TaskControl.none());
            QualityWindows.Figures one = t.figures();
            for (int w = 1; w < 8; w++) {
                q.score(copy.model(), w, t, TaskControl.none());
            }
            QualityWindows.Figures all = t.figures();
            assertEquals(8, q.baseWindows(), "the base was scored on every window on the way");
            assertEquals(8L * WINDOW, all.tokens());
            assertTrue(all.meanKl().value() > 1e-6, all.toString());
            assertTrue(all.perplexity().halfWidth() < one.perplexity().halfWidth(), one + " then " + all);
            assertTrue(all.meanKl().halfWidth() < one.meanKl().halfWidth(), one + " then " + all);
            // the same two figures computed directly, window by window, in double precision
            double same = 0;
            double kl = 0;
            for (int w = 0; w < 8; w++) {
                double[] d = DirectAgreement.window(model, copy.model(), tokens, w * WINDOW, WINDOW, 0);
                same += d[0];
                kl += d[1];
            }
            assertEquals(same / (8 * WINDOW), all.top1Agreement().value(), 1e-9);
            assertEquals(kl / (8 * WINDOW), all.meanKl().value(), 1e-4 * kl / (8 * WINDOW));
        }
    }
}
