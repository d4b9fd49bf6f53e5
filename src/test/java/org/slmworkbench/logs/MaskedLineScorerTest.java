package org.slmworkbench.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slmworkbench.bench.TokenSurprise;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.Engines;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

class MaskedLineScorerTest {
    @Test
    void batchedPaddedAndDeduplicatedLinesScoreAsEachAlone() {
        ByteBpeTokenizer tok = TinyModels.tokenizer();
        List<String> lines = List.of(
                "Mar  1 10:00:00 host-1 sshd[1000]: Accepted password for user1 from 10.0.1.2 port 40000 ssh2",
                "Mar  2 11:07:09 host-2 sshd[1001]: Accepted password for user2 from 10.0.2.3 port 40001 ssh2",
                "kernel: oops",
                "Mar  3 12:00:00 host-3 sshd[1002]: Failed password for invalid user admin from 10.9.9.9 port 1 ssh2 and a tail long"
                        + " enough to run past the tiny model's 64-token context, so it is scored in overlapping windows instead");
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(TinyModels.config(tok.vocabSize()), m, 3)) {
            List<TokenSurprise> together = MaskedLineScorer.score(model, tok, lines);
            assertSame(together.get(0), together.get(1), "the first two lines share a skeleton, so one computation");
            assertTrue(together.get(3).nll().length > model.maxContext(), "the last line is longer than the context");
            for (int i = 0; i < lines.size(); i++) {
                TokenSurprise alone = MaskedLineScorer.score(model, tok, List.of(lines.get(i))).get(0);
                assertArrayEquals(alone.nll(), together.get(i).nll(), 1e-4f, "line " + i);
                assertArrayEquals(alone.pieces(), together.get(i).pieces());
                String masked = "\n" + Skeletons.forModel(lines.get(i)) + "\n";
                assertEquals(masked.substring(1), String.join("", alone.pieces()), "the pieces spell the masked line and its newline");
            }
            TokenSurprise t = together.get(2);
            int w = t.worst();
            assertEquals("expected `" + t.expected()[w].replace("\n", "\\n") + "`, saw `" + t.pieces()[w].replace("\n", "\\n") + "`",
                    t.explanation());
        }
    }

    @Test
    void batchesSpreadOverTwoThreadsScoreAsOnOne() {
        ByteBpeTokenizer tok = TinyModels.tokenizer();
        List<String> lines = new java.util.ArrayList<>();
        String[] words = {"accepted", "failed", "closed", "opened", "reset", "denied"};
        for (int i = 0; i < 60; i++) {
            lines.add("host-" + i + " daemon: session " + words[i % words.length] + " for " + words[(i / 6) % words.length] + " user"
                    + "x".repeat(i % 7) + (i % 3 == 0 ? " with a longer tail of words" : ""));
        }
        int before = Engines.threads();
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(TinyModels.config(tok.vocabSize()), m, 5)) {
            Engines.setThreads(1);
            List<TokenSurprise> one = MaskedLineScorer.score(model, tok, lines);
            Engines.setThreads(2);
            List<TokenSurprise> two = MaskedLineScorer.score(model, tok, lines);
            for (int i = 0; i < lines.size(); i++) {
                assertArrayEquals(one.get(i).nll(), two.get(i).nll(), 1e-4f, "line " + i);
                assertArrayEquals(one.get(i).expected(), two.get(i).expected(), "line " + i);
            }
        } finally {
            Engines.setThreads(before);
        }
    }
}
