package org.slmworkbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

class LineScorerTest {
    @Test
    void stackFramesShareTheirEventsAnomalyScore() {
        ByteBpeTokenizer tok = TinyModels.tokenizer();
        List<String> lines = List.of(
                "2024-03-07 12:00:01 INFO started",
                "2024-03-07 12:00:02 ERROR boom",
                "java.lang.IllegalStateException: no",
                "\tat com.acme.A.run(A.java:1)",
                "Caused by: java.io.IOException: disk",
                "\t... 3 more",
                "2024-03-07 12:00:03 INFO fine");
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(TinyModels.config(tok.vocabSize()), m, 1)) {
            List<LineScore> s = LineScorer.score(model, tok, "app.log", lines);
            assertEquals(7, s.size());
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), s.stream().map(LineScore::lineNumber).toList());
            // line 3 starts a new event (no indent); lines 4-6 continue it
            double event = s.get(2).anomalyScore();
            assertEquals(event, s.get(3).anomalyScore());
            assertEquals(event, s.get(4).anomalyScore());
            assertEquals(event, s.get(5).anomalyScore());
            for (LineScore l : s) {
                assertEquals(tok.encode(l.text() + "\n").length, l.tokens());
            }
        }
    }
}
