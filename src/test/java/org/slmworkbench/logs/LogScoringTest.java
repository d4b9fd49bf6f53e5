package org.slmworkbench.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

class LogScoringTest {
    @Test
    void withANormalPeriodTheModelTermIsItsRarityThereAndTheTermsAddUp() {
        ByteBpeTokenizer tok = TinyModels.tokenizer();
        List<LogLine> period = LogLine.numbered("period.log", TinyModels.logText(200).lines().toList());
        List<LogLine> lines = LogLine.numbered("new.log", List.of("host-1 sshd[1]: Accepted password for u1 from 10.0.0.1",
                "kernel: disk error on sda, I/O failed", "a line of a shape never seen before !!"));
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(TinyModels.config(tok.vocabSize()), m, 9);
                LoadedLm lm = new LoadedLm(Path.of("tiny"), model, tok, tok.eosId())) {
            List<ScoredLine> zero = LogScoring.zeroShot(lm, LmContext.LINE, lines);
            LogScoring.Calibrated adapted = LogScoring.calibrated(lm, LmContext.LINE, lines, period, 100);
            int cut = (int) Math.round(period.size() * LogScoring.COUNTED_SHARE);
            NormalPeriod normal = NormalPeriod.learn(lm, LmContext.LINE, period.subList(0, cut), period.subList(cut, period.size()));
            for (int i = 0; i < lines.size(); i++) {
                ScoredLine z = zero.get(i);
                ScoredLine a = adapted.lines().get(i);
                assertEquals(z.surprise() + z.content(), z.score(), 1e-9, "zero-shot: L + C");
                assertEquals(z.surprise(), a.surprise(), 1e-4, "the same model reads the line either way");
                assertEquals(normal.lm().of(a.surprise()), a.lm(), 1e-9, "L rescaled by the period's last stretch");
                assertNotEquals(a.surprise(), a.lm());
                assertTrue(a.template() > 0, "none of these skeletons is in the period");
                assertEquals(a.lm() + a.template() + a.content(), a.score(), 1e-9, "R(L) + T + C");
            }
            assertEquals(2, zero.get(1).content(), "the error line states its severity");
        }
    }
}
