package org.slmworkbench.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.slmworkbench.bench.LineScore;
import org.slmworkbench.bench.LineScorer;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;

/** Scores lines with a language model, each source file's lines as one stream, as {@code score} does. */
public final class LanguageModelScorer {
    private LanguageModelScorer() {}

    /** Every line's {@link LineScore}, in order; consecutive lines of one source are scored as one stream. */
    public static List<LineScore> scores(CausalLm model, TextTokenizer tok, List<LogLine> lines) {
        List<LineScore> out = new ArrayList<>(lines.size());
        int start = 0;
        for (int i = 1; i <= lines.size(); i++) {
            if (i == lines.size() || !lines.get(i).source().equals(lines.get(start).source())) {
                List<String> texts = lines.subList(start, i).stream().map(LogLine::text).toList();
                out.addAll(LineScorer.score(model, tok, lines.get(start).source(), texts));
                start = i;
            }
        }
        return out;
    }

    static double[] of(CausalLm model, TextTokenizer tok, List<LogLine> lines, ToDoubleFunction<LineScore> term) {
        return scores(model, tok, lines).stream().mapToDouble(term).toArray();
    }
}
