package org.slmworkbench.logs;

import org.slmworkbench.bench.TokenSurprise;

/**
 * One line's anomaly score and its terms (see {@link OurScorers}): the language model's term {@code
 * lm} (its raw {@code surprise}, rescaled when there is a normal period), the template rarity {@code
 * template} (0 when there is no period to count) and the severity {@code content}; {@code tokens}
 * say which span drove the model's term.
 */
public record ScoredLine(LogLine line, double score, double surprise, double lm, double template, double content,
        TokenSurprise tokens) {
    public String skeleton() {
        return Skeletons.of(line.text());
    }
}
