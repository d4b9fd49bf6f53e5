package org.slmworkbench.bench;

import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;

/**
 * Anomaly scores for log lines. The file is scored as one stream, so each line is read in the
 * context of the lines before it (as the model was trained); each line owns its tokens and its
 * newline.
 */
public final class LineScorer {
    private static final int BATCH = 8;

    private LineScorer() {}

    public static List<LineScore> score(CausalLm model, TextTokenizer tok, List<String> lines) {
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
        List<LineScore> scores = new ArrayList<>(lines.size());
        at = 0;
        for (int i = 0; i < lines.size(); i++) {
            int n = perLine.get(i).length;
            double sum = 0;
            double max = 0;
            int counted = 0;
            for (int t = at; t < at + n; t++) {
                float nll = stats.nll()[t];
                if (!Float.isNaN(nll)) {
                    sum += nll;
                    max = Math.max(max, nll);
                    counted++;
                }
            }
            scores.add(new LineScore(i + 1, counted == 0 ? 0 : sum / counted, max, n, lines.get(i)));
            at += n;
        }
        return scores;
    }
}
