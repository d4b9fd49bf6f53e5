package org.slmworkbench.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;

/**
 * Anomaly scores for log lines. The file is scored as one stream, so each line is read in the
 * context of the lines before it (as the model was trained); each line owns its tokens and its
 * newline. Continuation lines (stack frames, "Caused by:") share their event's anomaly score, since
 * a common frame is only anomalous as part of an anomalous event.
 */
public final class LineScorer {
    private static final int BATCH = 8;
    private static final Pattern CONTINUATION = Pattern.compile("^(\\s+\\S|Caused by:|\\.\\.\\. \\d+ more)");

    private LineScorer() {}

    public static List<LineScore> score(CausalLm model, TextTokenizer tok, String file, List<String> lines) {
        List<int[]> perLine = new ArrayList<>(lines.size());
        int total = 0;
        for (String line : lines) {
            int[] ids = tok.encode(line + "\n");
            perLine.add(ids);
            total += ids.length;
        }
        int[] stream = new int[total];
        int at = 0;
        for (int[] ids : perLine) {
            System.arraycopy(ids, 0, stream, at, ids.length);
            at += ids.length;
        }
        TokenStats.Result stats = TokenStats.of(model, stream, model.maxContext(), BATCH);
        double[][] perLineStats = new double[lines.size()][];
        at = 0;
        for (int i = 0; i < lines.size(); i++) {
            perLineStats[i] = lineStats(stats, at, perLine.get(i).length);
            at += perLine.get(i).length;
        }
        double[] event = eventScores(lines, perLineStats);
        List<LineScore> scores = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            scores.add(new LineScore(file, i + 1, perLineStats[i][0], perLineStats[i][1], event[i], perLine.get(i).length, lines.get(i)));
        }
        return scores;
    }

    /** {mean NLL, max NLL, max excess surprise} over the tokens [from, from + n). */
    private static double[] lineStats(TokenStats.Result stats, int from, int n) {
        double sum = 0;
        double max = 0;
        double maxExcess = 0;
        int counted = 0;
        for (int t = from; t < from + n; t++) {
            float nll = stats.nll()[t];
            if (!Float.isNaN(nll)) {
                sum += nll;
                max = Math.max(max, nll);
                maxExcess = Math.max(maxExcess, stats.excess()[t]);
                counted++;
            }
        }
        return new double[] {counted == 0 ? 0 : sum / counted, max, maxExcess};
    }

    /** The largest excess surprise within each event, given to every line of the event. */
    private static double[] eventScores(List<String> lines, double[][] stats) {
        double[] event = new double[lines.size()];
        int start = 0;
        for (int i = 0; i <= lines.size(); i++) {
            if (i == lines.size() || (i > 0 && !CONTINUATION.matcher(lines.get(i)).find())) {
                double max = 0;
                for (int j = start; j < i; j++) {
                    max = Math.max(max, stats[j][2]);
                }
                for (int j = start; j < i; j++) {
                    event[j] = max;
                }
                start = i;
            }
        }
        return event;
    }
}
