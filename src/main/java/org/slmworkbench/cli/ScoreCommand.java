package org.slmworkbench.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slmworkbench.bench.LineScore;
import org.slmworkbench.bench.LineScorer;
import org.slmworkbench.bench.ScoreFiles;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.data.AnomalyLabels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Scores every line of a log: mean negative log-likelihood per token, the largest single-token surprise,"
                + " and an anomaly score (over the line's event: the largest surprise beyond what the model expected plus the mean NLL),"
                + " all in nats."
                + " With labels (--labels, or labels.tsv in a folder given as --input), also the ROC AUC of each score per file and"
                + " over all lines.")
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE|DIR") List<Path> inputs;
    @Option(names = "--out", required = true, paramLabel = "FILE.tsv") Path out;
    @Option(names = "--labels", paramLabel = "labels.tsv", description = "file/line/kind rows marking anomalous lines") Path labels;
    @Mixin ThreadsOption threads;
    @Mixin WeightsOption weights;
    @Mixin CompressionOptions compression;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        Map<String, List<String>> files = ScoreFiles.readLines(inputs);
        Path labelsFile = ScoreFiles.labelsFor(inputs, labels);
        AnomalyLabels truth = labelsFile == null ? null : AnomalyLabels.load(labelsFile);
        try (NDManager root = NDManager.newBaseManager(); LoadedLm m = CheckpointLoader.load(model, root, weights.policy());
                CompressionOptions.Applied run = compression.apply(m.model(), m.tokenizer(), root)) {
            long t0 = System.nanoTime();
            List<LineScore> scores = new ArrayList<>();
            files.forEach((name, lines) -> scores.addAll(LineScorer.score(run.model(), m.tokenizer(), name, lines)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            ScoreFiles.writeTsv(out, scores);
            System.out.printf(Locale.ROOT, "%,d lines of %d file(s) scored in %.1f s; wrote %s%n", scores.size(), files.size(), seconds, out);
            if (truth != null) {
                System.out.printf(Locale.ROOT, "%-20s %6s %9s  %s%n", "ROC AUC", "lines", "anomalous", "anomaly_score mean_nll max_surprise");
                ScoreFiles.aucByFile(scores, truth, labelsFile).forEach((file, auc) -> System.out.printf(Locale.ROOT,
                        "%-20s %6d %9d  %13.4f %8.4f %12.4f%n", file, auc.lines(), auc.positives(), auc.anomalyScore(), auc.meanNll(),
                        auc.maxSurprise()));
            }
        }
        return 0;
    }
}
