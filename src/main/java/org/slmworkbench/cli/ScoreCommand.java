package org.slmworkbench.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slmworkbench.bench.LineScore;
import org.slmworkbench.bench.LineScorer;
import org.slmworkbench.bench.ScoreFiles;
import org.slmworkbench.checkpoint.LoadedModel;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.data.AnomalyLabels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Anomaly score for every line of a log: mean negative log-likelihood per token and the largest single-token"
                + " surprise (nats). With --labels, also the ROC AUC of both scores.")
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Option(names = "--input", required = true, paramLabel = "FILE") Path input;
    @Option(names = "--out", required = true, paramLabel = "FILE.tsv") Path out;
    @Option(names = "--labels", paramLabel = "labels.tsv", description = "file/line/kind rows marking anomalous lines") Path labels;
    @Mixin ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        List<String> lines = ScoreFiles.readLines(input);
        AnomalyLabels truth = labels == null ? null : AnomalyLabels.load(labels);
        try (NDManager root = NDManager.newBaseManager(); LoadedModel m = ModelDirectory.load(model, root)) {
            long t0 = System.nanoTime();
            List<LineScore> scores = LineScorer.score(m.model(), m.tokenizer(), lines);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ScoreFiles.writeTsv(out, scores);
            System.out.printf(Locale.ROOT, "%,d lines scored in %.1f s; wrote %s%n", scores.size(), seconds, out);
            if (truth != null) {
                ScoreFiles.Auc auc = ScoreFiles.auc(scores, truth, input.getFileName().toString(), labels);
                System.out.printf(Locale.ROOT, "ROC AUC (mean NLL)      %.4f%n", auc.meanNll());
                System.out.printf(Locale.ROOT, "ROC AUC (max surprise)  %.4f%n", auc.maxSurprise());
                System.out.printf(Locale.ROOT, "anomalous lines         %d of %d%n", auc.positives(), scores.size());
            }
        }
        return 0;
    }
}
