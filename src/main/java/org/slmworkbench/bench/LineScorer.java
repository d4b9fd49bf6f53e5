package org.slmworkbench.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;

/**
 * Anomaly scores for log lines. The file is tokenized and scored as one stream, exactly as the
 * model saw its training text, so each line is read in the context of the lines before it; a
 * token belongs to the line it starts in, and the token carrying a newline ends that line.
 * (Tokenizing line by line would differ at the line ends, e.g. a trailing space before the
 * newline, and the model would be surprised by tokens it never saw in training.) Continuation
 * lines (stack frames, "Caused by:") share their event's anomaly score, since a common frame is
 * only anomalous as part of an anomalous event.
 */
public final class LineScorer {
    private static final int BATCH = 8;
    private static final Pattern CONTINUATION = Pattern.compile("^(\\s+\\S|Caused by:|\\.\\.\\. \\d+ more)");

    private LineScorer() {}

    public static List<LineScore> score(CausalLm model, TextTokenizer tok, String file, List<String> lines) {
        int[] stream = tok.encode(String.join("\n", lines) + "\n");
        TokenStats.Result stats = TokenStats.of(model, stream, model.maxContext(), BATCH);
        int[] firstToken = new int[lines.size() + 1];
        Map<Integer, Integer> newlines = new HashMap<>();
        int line = 0;
        for (int t = 0; t < stream.length && line < lines.size(); t++) {
            int id = stream[t];
            int breaks = newlines.computeIfAbsent(id, k -> (int) tok.decode(new int[] {k}).chars().filter(c -> c == '\n').count());
            for (int b = 0; b < breaks && line < lines.size(); b++) {
                firstToken[++line] = t + 1;
            }
        }
        LineStats[] perLine = new LineStats[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            perLine[i] = LineStats.of(stats, firstToken[i], firstToken[i + 1] - firstToken[i]);
        }
        double[] event = eventScores(lines, perLine);
        Map<Integer, String> pieces = new HashMap<>();
        List<LineScore> scores = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            scores.add(new LineScore(file, i + 1, perLine[i].meanNll(), perLine[i].maxNll(), event[i], firstToken[i + 1] - firstToken[i],
                    lines.get(i), surprise(stream, stats, firstToken[i], firstToken[i + 1], id -> pieces.computeIfAbsent(id,
                            k -> tok.decode(new int[] {k})))));
        }
        return scores;
    }

    /** The predicted tokens of one line, each with its surprise and the model's guess. */
    private static TokenSurprise surprise(int[] stream, TokenStats.Result stats, int from, int to, java.util.function.IntFunction<String> piece) {
        List<Integer> predicted = new ArrayList<>();
        for (int t = from; t < to; t++) {
            if (!Float.isNaN(stats.nll()[t])) {
                predicted.add(t);
            }
        }
        int n = predicted.size();
        String[] saw = new String[n];
        float[] nll = new float[n];
        float[] excess = new float[n];
        String[] expected = new String[n];
        for (int k = 0; k < n; k++) {
            int t = predicted.get(k);
            saw[k] = piece.apply(stream[t]);
            nll[k] = stats.nll()[t];
            excess[k] = stats.excess()[t];
            expected[k] = piece.apply(stats.expected()[t]);
        }
        return new TokenSurprise(saw, nll, excess, expected);
    }

    /** NLL sum, largest NLL and largest excess surprise over a line's tokens, and how many were scored. */
    private record LineStats(double nllSum, int counted, double maxNll, double maxExcess) {
        static LineStats of(TokenStats.Result stats, int from, int n) {
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
            return new LineStats(sum, counted, max, maxExcess);
        }

        double meanNll() {
            return counted == 0 ? 0 : nllSum / counted;
        }
    }

    /**
     * Each event's score, given to every line of it: its largest excess surprise (one token the model
     * was confident against) plus its mean NLL (an event unlike the usual ones throughout, such as a
     * template seen once or a line with several odd fields). Both are in nats, so they add unweighted.
     */
    private static double[] eventScores(List<String> lines, LineStats[] stats) {
        double[] event = new double[lines.size()];
        int start = 0;
        for (int i = 0; i <= lines.size(); i++) {
            if (i == lines.size() || (i > 0 && !CONTINUATION.matcher(lines.get(i)).find())) {
                double maxExcess = 0;
                double nll = 0;
                int tokens = 0;
                for (int j = start; j < i; j++) {
                    maxExcess = Math.max(maxExcess, stats[j].maxExcess());
                    nll += stats[j].nllSum();
                    tokens += stats[j].counted();
                }
                double score = maxExcess + (tokens == 0 ? 0 : nll / tokens);
                for (int j = start; j < i; j++) {
                    event[j] = score;
                }
                start = i;
            }
        }
        return event;
    }
}
