package org.slmworkbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.compress.CompressedModel;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.compress.Compressor;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;

class HeldOutQualityTest {
    private static final int VOCAB = 300;

    private static int[] stream(int n) {
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = (int) ((i * 2654435761L) % VOCAB);
        }
        return tokens;
    }

    @Test
    void theBaseAndACopyHaveTheEvaluatorsFiguresAndTheDirectAgreementOverTheSamePositions() throws Exception {
        // a trained model, whose predictions a copy can disagree with; 330 tokens of log text in its
        // 128-token context: overlapping windows, the last one flush with the end
        try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(Path.of("models/loglm-tiny"), m);
                CompressedModel copy = Compressor.compress(loaded.model(), CompressionConfig.parse("prune=0.5"), m)) {
            CausalLm model = loaded.model();
            int[] tokens = Arrays.copyOf(loaded.tokenizer().encode(Files.readString(Path.of("sample-logs/heldout/kernel.log"))), 330);
            try (HeldOutQuality q = HeldOutQuality.of(model, tokens)) {
                assertTrue(q.keepsBase());
                EvalReport base = Evaluator.evaluate(model, tokens, 0);
                assertEquals(base.perplexity(), q.base().perplexity(), 1e-12 * base.perplexity());
                assertEquals(base.nextTokenAccuracy(), q.base().nextTokenAccuracy());
                assertEquals(new HeldOutQuality.Figures(q.base().perplexity(), q.base().nextTokenAccuracy(), 1.0, 0.0), q.of(model));

                HeldOutQuality.Figures f = q.of(copy.model());
                EvalReport own = Evaluator.evaluate(copy.model(), tokens, 0);
                assertEquals(own.perplexity(), f.perplexity(), 1e-12 * own.perplexity());
                assertEquals(own.nextTokenAccuracy(), f.nextTokenAccuracy());
                // every position after the first counted once, in the window that owns it
                int window = TokenStats.window(tokens.length, model.maxContext());
                List<Integer> starts = TokenStats.starts(tokens.length, window);
                assertTrue(starts.size() > 2, starts.toString());
                double same = 0;
                double kl = 0;
                for (int j = 0; j < starts.size(); j++) {
                    int from = j == 0 ? 0 : Math.max(0, starts.get(j - 1) + window - starts.get(j));
                    double[] d = DirectAgreement.window(model, copy.model(), tokens, starts.get(j), window, from);
                    same += d[0];
                    kl += d[1];
                }
                int positions = tokens.length - 1;
                assertEquals(same / positions, f.top1Agreement(), 1e-12);
                // log-probabilities in float: about 1e-6 nats of rounding per position
                assertEquals(kl / positions, f.meanKl(), 1e-6 + 1e-4 * kl / positions);
                assertTrue(f.meanKl() > 1e-3 && f.top1Agreement() < 1, f.toString());
            }
        }
    }

    @Test
    void withoutRoomForTheBasesFileTheBaseRunsBesideEachCopyWithTheSameFigures() throws Exception {
        LlamaConfig c = TinyModels.config(VOCAB);
        int[] tokens = stream(200);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(c, m, 3);
                CompressedModel copy = Compressor.compress(model, CompressionConfig.parse("share=8"), m);
                HeldOutQuality kept = HeldOutQuality.of(model, tokens); HeldOutQuality rerun = HeldOutQuality.of(model, tokens, 0)) {
            assertTrue(kept.keepsBase());
            assertFalse(rerun.keepsBase());
            HeldOutQuality.Figures a = kept.of(copy.model());
            HeldOutQuality.Figures b = rerun.of(copy.model());
            assertEquals(a.perplexity(), b.perplexity(), 1e-12 * a.perplexity());
            assertEquals(a.top1Agreement(), b.top1Agreement());
            assertEquals(a.meanKl(), b.meanKl(), 1e-6 * a.meanKl());
        }
    }
}
