package org.slmworkbench.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slmworkbench.bench.LineScore;
import org.slmworkbench.bench.ScoreFiles;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.data.AnomalyLabels;
import org.slmworkbench.logs.AlertGroup;
import org.slmworkbench.logs.LogLine;
import org.slmworkbench.logs.LogScoring;
import org.slmworkbench.logs.ScoredLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Scores every line of a log, in nats. Without a normal period, anomaly_score = L + C: L the language model's"
                + " surprise on the line's masked skeleton (largest excess surprise plus mean NLL), C one nat per severity level the"
                + " line states. With a normal period (--period, or --alert-rate's default), anomaly_score = R(L) + T + C: R(L) the"
                + " rarity of L among the period's last fifth (-ln of the share of its lines as surprising, an exponential tail above"
                + " their 90th percentile), T the rarity of the line's skeleton in the rest of the period."
                + " Each row names the token that drove L and what the model expected there.",
                "With --alert-rate R, the threshold is calibrated on the normal period (the last fifth of it; templates are counted on"
                        + " the rest) so that about R of 10,000 normal lines alert; only alerts are written, and they are grouped by"
                        + " masked skeleton. With labels (--labels, or labels.tsv in a folder given as --input), also the ROC AUC."})
final class ScoreCommand implements Callable<Integer> {
    private static final int GROUPS_SHOWN = 20;
    /** Without --period, this first share of each input file stands for the normal period. */
    private static final double DEFAULT_PERIOD_SHARE = 0.2;

    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE|DIR") List<Path> inputs;
    @Option(names = "--out", required = true, paramLabel = "FILE.tsv") Path out;
    @Option(names = "--labels", paramLabel = "labels.tsv", description = "file/line/kind rows marking anomalous lines") Path labels;
    @Option(names = "--alert-rate", paramLabel = "R", description = "write only alerts, about R per 10,000 normal lines") Double alertRate;
    @Option(names = "--period", arity = "1..*", paramLabel = "FILE|DIR",
            description = "a normal period of the same system, to count templates in and calibrate on (default with --alert-rate:"
                    + " the first fifth of each input)")
    List<Path> period;
    @Mixin ContextOption reading;
    @Mixin ThreadsOption threads;
    @Mixin WeightsOption weights;
    @Mixin AdapterOption adapter;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        Map<String, List<String>> files = ScoreFiles.readLines(inputs);
        Path labelsFile = ScoreFiles.labelsFor(inputs, labels);
        AnomalyLabels truth = labelsFile == null ? null : AnomalyLabels.load(labelsFile);
        List<LogLine> lines = LogLine.numbered(files);
        List<LogLine> normal = new ArrayList<>();
        if (period != null) {
            normal.addAll(LogLine.numbered(ScoreFiles.readLines(period)));
        } else if (alertRate != null) {
            files.forEach((name, text) -> normal.addAll(LogLine.numbered(name, text.subList(0, periodLines(text.size())))));
        }
        try (NDManager root = NDManager.newBaseManager(); LoadedLm m = CheckpointLoader.load(model, root, weights.policy())) {
            adapter.mergeInto(m.model(), CompressionConfig.NONE);
            long t0 = System.nanoTime();
            LogScoring.Calibrated scored = normal.isEmpty()
                    ? new LogScoring.Calibrated(LogScoring.zeroShot(m, reading.context, lines), null)
                    : LogScoring.calibrated(m, reading.context, lines, normal, alertRate == null ? 100 : alertRate);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long tokens = scored.lines().stream().mapToLong(s -> s.tokens().nll().length).sum();
            List<ScoredLine> written = alertRate == null ? scored.lines()
                    : scored.lines().stream().filter(s -> scored.threshold().alerts(s.score())).toList();
            ScoreFiles.writeTsv(out, written.stream().map(ScoreCommand::row).toList(),
                    written.stream().map(s -> s.tokens().explanation()).toList());
            System.out.printf(Locale.ROOT, "%,d lines of %d file(s) scored in %.1f s (%,.0f lines/s, %,.0f tokens/s as read by the model);"
                    + " wrote %,d rows to %s%n", lines.size(), files.size(), seconds, lines.size() / seconds, tokens / seconds, written.size(),
                    out);
            if (alertRate != null) {
                printGroups(scored);
            }
            if (truth != null) {
                System.out.printf(Locale.ROOT, "%-20s %6s %9s  %s%n", "ROC AUC", "lines", "anomalous", "anomaly_score mean_nll max_surprise");
                ScoreFiles.aucByFile(scored.lines().stream().map(ScoreCommand::row).toList(), truth, labelsFile).forEach((file, auc) ->
                        System.out.printf(Locale.ROOT, "%-20s %6d %9d  %13.4f %8.4f %12.4f%n", file, auc.lines(), auc.positives(),
                                auc.anomalyScore(), auc.meanNll(), auc.maxSurprise()));
            }
        }
        return 0;
    }

    private static int periodLines(int fileLines) {
        return Math.max(1, (int) Math.round(fileLines * DEFAULT_PERIOD_SHARE));
    }

    private void printGroups(LogScoring.Calibrated scored) {
        List<AlertGroup> groups = AlertGroup.of(scored.lines(), scored.threshold());
        System.out.printf(Locale.ROOT, "alerts at %s%s: %d group(s) by masked skeleton%n", scored.threshold().describe(),
                period == null ? ", calibrated on the first fifth of each input" : "", groups.size());
        System.out.printf(Locale.ROOT, "%7s  %-28s %-28s %8s  %s%n", "count", "first seen", "last seen", "worst", "worst line");
        for (AlertGroup g : groups.subList(0, Math.min(GROUPS_SHOWN, groups.size()))) {
            System.out.printf(Locale.ROOT, "%7d  %-28s %-28s %8.2f  %s%n", g.count(), where(g.first()), where(g.last()), g.worst().score(),
                    abbreviate(g.worst().line().text()));
        }
        if (groups.size() > GROUPS_SHOWN) {
            System.out.printf(Locale.ROOT, "... and %d more group(s)%n", groups.size() - GROUPS_SHOWN);
        }
    }

    private static String where(LogLine l) {
        return abbreviate(l.source(), 22) + ":" + l.number();
    }

    private static String abbreviate(String s) {
        return abbreviate(s, 100);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static LineScore row(ScoredLine s) {
        return new LineScore(s.line().source(), s.line().number(), s.tokens().meanNll(), s.tokens().maxNll(), s.score(),
                s.tokens().nll().length, s.line().text(), s.tokens());
    }
}
