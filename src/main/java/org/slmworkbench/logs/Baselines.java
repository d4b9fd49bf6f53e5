package org.slmworkbench.logs;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simple scorers ours must beat, each fitted on the earlier part only: a severity-keyword rule,
 * character-trigram novelty (Nyyssölä and Mäntylä's out-of-vocabulary baseline) and a new-template
 * detector over masked skeletons.
 */
public final class Baselines {
    /** Emergency/fatal words 3, error words 2, warning words 1; a line scores its worst word. */
    private static final Pattern SEVERITY = Pattern.compile(
            "\\b(?:(emerg|fatal|panic|crit|critical)|(error|err|severe|exception|fail|failed|failure)|(warn|warning))\\b");

    private Baselines() {}

    public static LogScorer severity() {
        return LogScorer.single("severity keywords", fit -> lines -> score(lines, Baselines::severityOf));
    }

    public static LogScorer trigramNovelty() {
        return LogScorer.single("trigram novelty", fit -> {
            Set<String> seen = new HashSet<>();
            fit.forEach(l -> trigrams(l.text(), seen));
            return lines -> score(lines, text -> {
                Set<String> own = new HashSet<>();
                trigrams(text, own);
                long unseen = own.stream().filter(g -> !seen.contains(g)).count();
                return own.isEmpty() ? 0 : (double) unseen / own.size();
            });
        });
    }

    /** 1 / (1 + times the skeleton was seen): a new template scores 1, a common one near 0. */
    public static LogScorer newTemplate() {
        return LogScorer.single("new template", fit -> {
            TemplateCounts counts = new TemplateCounts(fit);
            return lines -> score(lines, text -> 1.0 / (1 + counts.count(text)));
        });
    }

    static double severityOf(String text) {
        Matcher m = SEVERITY.matcher(text.toLowerCase(Locale.ROOT));
        int worst = 0;
        while (m.find()) {
            worst = Math.max(worst, m.group(1) != null ? 3 : m.group(2) != null ? 2 : 1);
        }
        return worst;
    }

    private static void trigrams(String text, Set<String> into) {
        String masked = text.replaceAll("\\d", "0");
        for (int i = 0; i + 3 <= masked.length(); i++) {
            into.add(masked.substring(i, i + 3));
        }
    }

    private static double[] score(List<LogLine> lines, java.util.function.ToDoubleFunction<String> f) {
        double[] s = new double[lines.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = f.applyAsDouble(lines.get(i).text());
        }
        return s;
    }
}
