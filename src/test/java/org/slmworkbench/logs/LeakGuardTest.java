package org.slmworkbench.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;
import org.slmworkbench.tokenizer.TextTokenizer;

/** Labels never reach the tokenizer or the model: everything they are given is log text of the split. */
class LeakGuardTest {
    @Test
    void adaptationAndScoringTokenizeOnlyTheSplitsLogText() {
        LabelledLog log = RealLogSets.load(RealLogSetsTest.REAL.resolve("openstack-nova"), 0);
        LogSplit small = new LogSplit("nova", log.split().adapt().subList(0, 120), log.split().test().subList(0, 40), "first lines");
        ByteBpeTokenizer bpe = TinyModels.tokenizer();
        List<String> encoded = new ArrayList<>();
        TextTokenizer recording = new TextTokenizer() {
            public int[] encode(String text) {
                encoded.add(text);
                return bpe.encode(text);
            }

            public String decode(int[] ids) {
                return bpe.decode(ids);
            }

            public int vocabSize() {
                return bpe.vocabSize();
            }

            public int eosId() {
                return bpe.eosId();
            }

            public void close() {}
        };
        LogBench.Parts parts = LogBench.Parts.of(small);
        for (LmContext context : LmContext.values()) {
            encoded.clear();
            try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(TinyModels.config(bpe.vocabSize()), m, 5);
                    LoadedLm lm = new LoadedLm(Path.of("tiny"), model, recording, bpe.eosId())) {
                OurScorers.adapted(lm, lm, context, new Adaptation(4, 1e-3, 2, 2, 1, List.of()), s -> { }).fit(parts.fit(), parts.calibration())
                        .score(small.test());
            }
            StringBuilder allowed = new StringBuilder("\n");
            RealLogSetsTest.concat(small).forEach(l -> allowed.append(context.modelText(l.text())).append('\n'));
            assertFalse(encoded.isEmpty());
            for (String text : encoded) {
                assertTrue(allowed.toString().contains(text.strip()), context + ": tokenized text that is not the split's log text: " + text);
                assertFalse(text.contains("Anomaly") || text.contains("normal\n"), text);
            }
        }
    }

    @Test
    void scoresDoNotDependOnTheLabels() {
        LabelledLog log = RealLogSets.load(RealLogSetsTest.REAL.resolve("ait-apache"), 0);
        boolean[] flipped = log.truth().anomalous().clone();
        for (int i = 0; i < flipped.length; i++) {
            flipped[i] = !flipped[i];
        }
        LabelledLog inverted = new LabelledLog(log.split(), new LogTruth(flipped, log.truth().group(), log.truth().groupAnomalous(), "burst"));
        List<LogScorer> scorers = List.of(Baselines.trigramNovelty(), Baselines.newTemplate());
        List<LogBench.Row> a = LogBench.run(log, scorers, 100);
        List<LogBench.Row> b = LogBench.run(inverted, scorers, 100);
        for (int i = 0; i < a.size(); i++) {
            // the threshold comes from the adaptation period's scores alone, the AUC mirrors
            assertEquals(a.get(i).threshold(), b.get(i).threshold());
            assertEquals(a.get(i).detection().alerts(), b.get(i).detection().alerts());
            assertEquals(1 - a.get(i).detection().rocAuc(), b.get(i).detection().rocAuc(), 1e-9);
        }
    }
}
