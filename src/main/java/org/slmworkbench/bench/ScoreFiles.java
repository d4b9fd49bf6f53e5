package org.slmworkbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slmworkbench.BadInputException;
import org.slmworkbench.data.AnomalyLabels;
import org.slmworkbench.data.DataOptions;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.Document;
import org.slmworkbench.data.TextDataset;
import org.slmworkbench.io.AtomicFiles;

/** Reading logs to score, writing the score table, and its ROC AUC against anomaly labels. */
public final class ScoreFiles {
    public static final String LABELS = "labels.tsv";

    private ScoreFiles() {}

    /** AUC of each score over some lines; {@code positives} counts the anomalous ones. */
    public record Auc(double meanNll, double maxSurprise, double anomalyScore, int lines, int positives) {}

    /**
     * The lines of each input file, by file name, with the same checks (exists, not empty, not
     * binary) as any dataset. A folder stands for the log files in it.
     */
    public static Map<String, List<String>> readLines(List<Path> inputs) {
        Map<String, List<String>> files = new LinkedHashMap<>();
        TextDataset data = DatasetLoader.load(inputs, 0);
        if (data.truncated()) {
            // a score table must cover every line it was given
            throw new BadInputException(String.format(Locale.ROOT, "the inputs hold more than %,d characters; score fewer or smaller files",
                    DataOptions.DEFAULT_MAX_CHARS));
        }
        for (Document d : data.train()) {
            String name = d.source().getFileName().toString();
            if (files.putIfAbsent(name, lines(d.text())) != null) {
                throw new BadInputException(d.source(), "two inputs share the file name " + name + "; score them separately");
            }
        }
        return files;
    }

    /** One file's text as the lines that are scored: split at each line break; a final newline ends the last line. */
    public static List<String> lines(String text) {
        String[] parts = text.split("\r?\n", -1);
        return List.of(parts).subList(0, text.endsWith("\n") ? parts.length - 1 : parts.length);
    }

    /** The labels file for these inputs: the one given, or labels.tsv inside a single folder input. */
    public static Path labelsFor(List<Path> inputs, Path given) {
        if (given != null) {
            return given;
        }
        if (inputs.size() == 1 && Files.isDirectory(inputs.get(0)) && Files.isRegularFile(inputs.get(0).resolve(LABELS))) {
            return inputs.get(0).resolve(LABELS);
        }
        return null;
    }

    /**
     * file, line, mean_nll, max_surprise, anomaly_score, explanation (what drove the score), text: tabs
     * in the text are escaped so rows stay rows.
     */
    public static void writeTsv(Path out, List<LineScore> scores, List<String> explanations) throws IOException {
        StringBuilder sb = new StringBuilder("file\tline\tmean_nll\tmax_surprise\tanomaly_score\texplanation\ttext\n");
        for (int i = 0; i < scores.size(); i++) {
            LineScore s = scores.get(i);
            sb.append(s.file()).append('\t').append(s.lineNumber()).append('\t')
                    .append(String.format(Locale.ROOT, "%.4f\t%.4f\t%.4f\t", s.meanNll(), s.maxSurprise(), s.anomalyScore()))
                    .append(escape(explanations.get(i))).append('\t').append(escape(s.text())).append('\n');
        }
        AtomicFiles.writeString(out, sb.toString());
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r");
    }

    public static Auc auc(List<LineScore> scores, AnomalyLabels labels, Path labelsFile) {
        for (LineScore s : scores) {
            if (!labels.files().contains(s.file())) {
                throw new BadInputException(labelsFile, "has no rows for file " + s.file());
            }
        }
        double[] mean = new double[scores.size()];
        double[] max = new double[scores.size()];
        double[] anomaly = new double[scores.size()];
        boolean[] y = new boolean[scores.size()];
        int positives = 0;
        for (int i = 0; i < scores.size(); i++) {
            LineScore s = scores.get(i);
            mean[i] = s.meanNll();
            max[i] = s.maxSurprise();
            anomaly[i] = s.anomalyScore();
            y[i] = labels.isAnomalous(s.file(), s.lineNumber());
            positives += y[i] ? 1 : 0;
        }
        return new Auc(RocAuc.of(mean, y), RocAuc.of(max, y), RocAuc.of(anomaly, y), scores.size(), positives);
    }

    /** AUC per file, then over all lines together under the key "all". */
    public static Map<String, Auc> aucByFile(List<LineScore> scores, AnomalyLabels labels, Path labelsFile) {
        Map<String, List<LineScore>> byFile = new LinkedHashMap<>();
        for (LineScore s : scores) {
            byFile.computeIfAbsent(s.file(), k -> new ArrayList<>()).add(s);
        }
        Map<String, Auc> result = new LinkedHashMap<>();
        byFile.forEach((file, rows) -> result.put(file, auc(rows, labels, labelsFile)));
        if (byFile.size() > 1) {
            result.put("all", auc(scores, labels, labelsFile));
        }
        return result;
    }
}
