package org.slmworkbench.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slmworkbench.BadInputException;
import org.slmworkbench.data.AnomalyLabels;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.TextDataset;
import org.slmworkbench.io.AtomicFiles;

/** Reading lines to score, writing the score table, and its AUC against labels. */
public final class ScoreFiles {
    private ScoreFiles() {}

    public record Auc(double meanNll, double maxSurprise, int positives) {}

    /** The lines of a text file, with the same checks (exists, not empty, not binary) as any dataset. */
    public static List<String> readLines(Path file) {
        TextDataset ds = DatasetLoader.load(List.of(file), 0);
        String text = ds.train().get(0).text();
        String[] parts = text.split("\r?\n", -1);
        // a final newline ends the last line rather than starting an empty one
        return List.of(parts).subList(0, text.endsWith("\n") ? parts.length - 1 : parts.length);
    }

    /** line, mean_nll, max_surprise, text: tabs and newlines in the text are escaped so rows stay rows. */
    public static void writeTsv(Path out, List<LineScore> scores) throws IOException {
        StringBuilder sb = new StringBuilder("line\tmean_nll\tmax_surprise\ttext\n");
        for (LineScore s : scores) {
            sb.append(s.lineNumber()).append('\t')
                    .append(String.format(Locale.ROOT, "%.4f\t%.4f\t", s.meanNll(), s.maxSurprise()))
                    .append(s.text().replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r"))
                    .append('\n');
        }
        AtomicFiles.writeString(out, sb.toString());
    }

    public static Auc auc(List<LineScore> scores, AnomalyLabels labels, String fileName, Path labelsFile) {
        if (!labels.files().contains(fileName)) {
            throw new BadInputException(labelsFile, "has no rows for file " + fileName);
        }
        double[] mean = new double[scores.size()];
        double[] max = new double[scores.size()];
        boolean[] y = new boolean[scores.size()];
        int positives = 0;
        for (int i = 0; i < scores.size(); i++) {
            mean[i] = scores.get(i).meanNll();
            max[i] = scores.get(i).maxSurprise();
            y[i] = labels.isAnomalous(fileName, scores.get(i).lineNumber());
            positives += y[i] ? 1 : 0;
        }
        return new Auc(RocAuc.of(mean, y), RocAuc.of(max, y), positives);
    }
}
