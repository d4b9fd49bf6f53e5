package org.slmworkbench.logs;

import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.bench.LineScore;
import org.slmworkbench.bench.LineScorer;
import org.slmworkbench.bench.TokenSurprise;
import org.slmworkbench.checkpoint.LoadedLm;

/**
 * How the language model reads a log for the L term:
 *
 * <ul>
 *   <li>{@code LINE}: each line alone as its masked skeleton ({@link MaskedLineScorer}); fast, since
 *       repeated skeletons cost nothing, and blind to values and to what came before;
 *   <li>{@code STREAM}: each file as one stream of its raw text ({@link LineScorer}), every line in
 *       the context of the lines before it and an event's lines sharing its score; sees bursts and
 *       impossible values, at the cost of every token of every line.
 * </ul>
 */
public enum LmContext {
    LINE,
    STREAM;

    /** The text the model reads (and adapts on) for one line. */
    String modelText(String line) {
        return this == LINE ? Skeletons.forModel(line) : line;
    }

    /** The L term of each line and the tokens behind it. */
    record Read(double[] lm, List<TokenSurprise> tokens) {}

    Read read(LoadedLm lm, List<LogLine> lines) {
        return read(lm, lines, SkeletonCache.none());
    }

    /** @param cache skeletons read before, for {@code LINE} (a stream has no repeats to share) */
    Read read(LoadedLm lm, List<LogLine> lines, SkeletonCache cache) {
        double[] l = new double[lines.size()];
        List<TokenSurprise> tokens = new ArrayList<>(lines.size());
        if (this == LINE) {
            tokens.addAll(MaskedLineScorer.score(lm.model(), lm.tokenizer(), lines.stream().map(LogLine::text).toList(), cache));
            for (int i = 0; i < l.length; i++) {
                l[i] = tokens.get(i).maxExcess() + tokens.get(i).meanNll();
            }
            return new Read(l, tokens);
        }
        int start = 0;
        for (int i = 1; i <= lines.size(); i++) {
            // consecutive lines of one source are one stream
            if (i == lines.size() || !lines.get(i).source().equals(lines.get(start).source())) {
                List<String> texts = lines.subList(start, i).stream().map(LogLine::text).toList();
                for (LineScore s : LineScorer.score(lm.model(), lm.tokenizer(), lines.get(start).source(), texts)) {
                    l[tokens.size()] = s.anomalyScore();
                    tokens.add(s.surprise());
                }
                start = i;
            }
        }
        return new Read(l, tokens);
    }
}
