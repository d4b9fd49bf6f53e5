package org.slmworkbench.shipped;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slmworkbench.TaskControl;
import org.slmworkbench.bench.LineScore;
import org.slmworkbench.bench.LineScorer;
import org.slmworkbench.bench.ScoreFiles;
import org.slmworkbench.checkpoint.LoadedModel;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.data.AnomalyLabels;
import org.slmworkbench.generate.GenerationResult;
import org.slmworkbench.generate.Generator;
import org.slmworkbench.generate.SamplingConfig;

/** The model the project ships works as committed: loads, writes log lines, and finds the labelled anomalies. */
class ShippedModelTest {
    static final Path MODEL = Path.of("models/loglm-tiny");
    static final Path HELDOUT = Path.of("sample-logs/heldout");
    static NDManager root;
    static LoadedModel model;

    @BeforeAll
    static void load() {
        root = NDManager.newBaseManager();
        model = ModelDirectory.load(MODEL, root);
    }

    @AfterAll
    static void close() {
        model.close();
        root.close();
    }

    @Test
    void isSmallAndDocumented() throws IOException {
        long bytes = ModelDirectory.sizeOnDisk(MODEL);
        assertTrue(bytes <= 20_000_000, "at most 20 MB, is " + bytes);
        String card = Files.readString(MODEL.resolve("README.md"));
        assertTrue(card.contains("Held-out perplexity") && card.contains("train --data sample-logs"), card);
    }

    @Test
    void continuesASyslogLineInTheSyslogFormat() {
        String prompt = "Mar  8 01:09:28 web-01 CRON[184317]: pam_unix(cron:session): session";
        int[] ids = model.tokenizer().encode(prompt);
        GenerationResult r = new Generator(model.model(), model.eosId()).generate(ids, SamplingConfig.greedy(12), e -> { },
                TaskControl.none());
        String text = model.tokenizer().decode(r.newIds());
        assertTrue(text.startsWith(" opened") || text.startsWith(" closed"), "continuation: " + text);
    }

    @Test
    void scoresTheHeldOutAnomaliesAboveNormalLines() {
        Map<String, List<String>> files = ScoreFiles.readLines(List.of(HELDOUT));
        List<LineScore> scores = new ArrayList<>();
        files.forEach((name, lines) -> scores.addAll(LineScorer.score(model.model(), model.tokenizer(), name, lines)));
        Path labels = HELDOUT.resolve(ScoreFiles.LABELS);
        Map<String, ScoreFiles.Auc> auc = ScoreFiles.aucByFile(scores, AnomalyLabels.load(labels), labels);
        assertEquals(6, auc.size(), "five files and the pooled figure");
        assertTrue(auc.get("all").anomalyScore() >= AUC_FLOOR, "pooled ROC AUC " + auc.get("all"));
    }

    /** Measured 0.935 (2 threads); the margin absorbs thread-count noise in the last digits. */
    static final double AUC_FLOOR = 0.92;
}
