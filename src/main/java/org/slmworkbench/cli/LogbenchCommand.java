package org.slmworkbench.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slmworkbench.bench.ScoreFiles;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.logs.Adaptation;
import org.slmworkbench.logs.Baselines;
import org.slmworkbench.logs.LabelledLog;
import org.slmworkbench.logs.LogLine;
import org.slmworkbench.logs.LogBench;
import org.slmworkbench.logs.LogScorer;
import org.slmworkbench.logs.OurScorers;
import org.slmworkbench.logs.RealLogSets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "logbench", mixinStandardHelpOptions = true,
        description = {"The real-log benchmark: for each labelled log folder, splits by time, fits every scorer on the earlier"
                + " part without its labels, calibrates an alert threshold there, and reports on the later part per-line ROC AUC"
                + " and PR-AUC, precision, recall and F1 at the threshold, anomalous groups (bursts, instances, jobs) with an alert,"
                + " and session AUC; ours beside the severity-keyword, trigram-novelty and new-template baselines. The --adapt-*"
                + " options fine-tune the copy of the model whose rows stand beside ours as ablations."})
final class LogbenchCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "DIR",
            description = "labelled log folders (AIT-style labels.tsv, instance_labels.csv, abnormal_label.txt, or train/ + heldout/)")
    List<Path> data;
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Option(names = "--alert-rate", defaultValue = "100", paramLabel = "R",
            description = "alerts per 10,000 lines of the adaptation period the threshold allows (default 100)")
    double alertRate;
    @Option(names = "--max-lines-per-file", defaultValue = "0", paramLabel = "N",
            description = "keep the first N lines of each log file or archive member (0: all)")
    int maxLinesPerFile;
    @Option(names = "--adapt-steps", defaultValue = "300", paramLabel = "N", description = "at most N fine-tuning steps on the earlier part")
    int steps;
    @Option(names = "--adapt-lr", defaultValue = "3e-4", paramLabel = "X") double lr;
    @Option(names = "--adapt-eval-every", defaultValue = "25", paramLabel = "N",
            description = "held-out loss every N steps; training stops after two evaluations without improvement")
    int evalEvery;
    @Option(names = "--adapt-mix", arity = "1..*", paramLabel = "FILE|DIR",
            description = "a general corpus to train on beside the earlier part, as many lines as it at most (default: none)")
    List<Path> mixPaths;
    @Mixin ContextOption reading;
    @Mixin ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        List<LogLine> mix = mixPaths == null ? List.of() : LogLine.numbered(ScoreFiles.readLines(mixPaths));
        try (NDManager root = NDManager.newBaseManager(); LoadedLm lm = CheckpointLoader.load(model, root)) {
            for (Path dir : data) {
                LabelledLog log = RealLogSets.load(dir, maxLinesPerFile);
                try (LoadedLm adapted = CheckpointLoader.load(model, root)) {
                    List<LogScorer> scorers = new ArrayList<>();
                    scorers.add(OurScorers.zeroShot(lm, reading.context));
                    scorers.add(OurScorers.adapted(lm, adapted, reading.context, new Adaptation(steps, lr, 16, evalEvery, 1337, mix),
                            System.out::println));
                    scorers.add(Baselines.severity());
                    scorers.add(Baselines.trigramNovelty());
                    scorers.add(Baselines.newTemplate());
                    print(log, LogBench.run(log, scorers, alertRate));
                }
            }
        }
        return 0;
    }

    private static void print(LabelledLog log, List<LogBench.Row> rows) {
        System.out.printf(Locale.ROOT, "%n%s: %s%n", log.split().name(), log.split().how());
        System.out.printf(Locale.ROOT, "%-28s %7s %7s %6s %6s %6s %7s %9s %8s %7s%n", "scorer", "ROC AUC", "PR-AUC", "F1", "prec",
                "recall", "alerts", log.truth().groupKind() + "s", "sess AUC", "s");
        for (LogBench.Row r : rows) {
            var d = r.detection();
            System.out.printf(Locale.ROOT, "%-28s %7.4f %7.4f %6.3f %6.3f %6.3f %7d %9s %8s %7.1f%n", r.scorer(), d.rocAuc(), d.prAuc(),
                    d.f1(), d.precision(), d.recall(), d.alerts(), d.groupsCaught() + "/" + d.groups(),
                    Double.isNaN(d.sessionAuc()) ? "-" : String.format(Locale.ROOT, "%.3f", d.sessionAuc()), r.seconds());
        }
    }
}
