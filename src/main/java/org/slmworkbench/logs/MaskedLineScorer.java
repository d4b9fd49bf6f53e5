package org.slmworkbench.logs;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slmworkbench.bench.LogitRows;
import org.slmworkbench.bench.TokenStats;
import org.slmworkbench.bench.TokenSurprise;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;

/**
 * Language-model surprise of each line on its own, read as its masked skeleton ({@link
 * Skeletons#forModel}) after a newline. Masking spares the model the values it cannot know (ids,
 * addresses, counters) and the tokens they cost; judging lines alone makes identical skeletons one
 * computation, and a log repeats its skeletons thousands of times. Lines of similar length share a
 * forward pass, so the per-op overhead of the engine is paid once per batch, not per line; the
 * batches are spread over the scoring threads ({@link ScoringWorkers}). A line's figures do not
 * depend on the lines beside it, so a Spark task and the command line, or a normal period and the
 * log scored against it, read a skeleton alike to the last bit.
 */
public final class MaskedLineScorer {
    /**
     * Tokens per forward pass. Small enough that the pass's tensors (the logits alone are budget ×
     * vocabulary floats) are reused from the heap instead of mapped and zeroed afresh each time,
     * which cost as much system time as the pass.
     */
    static final int TOKEN_BUDGET = 512;
    /** Skeletons a call claims from a shared cache at a time: a few dozen forward passes' worth. */
    static final int CLAIMS_PER_ROUND = 256;
    /** Windows of a line longer than the context read in one pass. */
    private static final int LONG_LINE_WINDOWS = 8;

    private MaskedLineScorer() {}

    /** Each line's token surprises, in order; lines with the same skeleton share one result. */
    public static List<TokenSurprise> score(CausalLm model, TextTokenizer tok, List<String> lines) {
        return score(model, tok, lines, SkeletonCache.none());
    }

    /**
     * The same, taking from {@code cache} the skeletons it holds or another thread is computing, and
     * keeping there the ones computed here.
     */
    static List<TokenSurprise> score(CausalLm model, TextTokenizer tok, List<String> lines, SkeletonCache cache) {
        String[] masked = new String[lines.size()];
        ScoringWorkers.forEach(lines.size(), i -> masked[i] = Skeletons.forModel(lines.get(i)));
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] of = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            of[i] = index.computeIfAbsent(masked[i], k -> index.size());
        }
        List<String> skeletons = List.copyOf(index.keySet());
        List<CompletableFuture<TokenSurprise>> readings = new ArrayList<>(skeletons.size());
        // claimed and computed a round at a time, so that threads sharing the cache split the work
        // instead of the first to arrive claiming it all
        int round = cache.isShared() ? CLAIMS_PER_ROUND : Math.max(1, skeletons.size());
        for (int from = 0; from < skeletons.size(); from += round) {
            List<String> missing = new ArrayList<>();
            List<CompletableFuture<TokenSurprise>> claimed = new ArrayList<>();
            for (String skeleton : skeletons.subList(from, Math.min(skeletons.size(), from + round))) {
                CompletableFuture<TokenSurprise> mine = new CompletableFuture<>();
                CompletableFuture<TokenSurprise> elsewhere = cache.claim(skeleton, mine);
                if (elsewhere == null) {
                    missing.add(skeleton);
                    claimed.add(mine);
                }
                readings.add(elsewhere == null ? mine : elsewhere);
            }
            try {
                List<TokenSurprise> computed = compute(model, tok, missing);
                for (int k = 0; k < computed.size(); k++) {
                    claimed.get(k).complete(computed.get(k));
                }
            } catch (RuntimeException | Error e) {
                cache.release(missing, claimed, e);
                throw e;
            }
        }
        List<TokenSurprise> out = new ArrayList<>(lines.size());
        for (int k : of) {
            out.add(readings.get(k).join());
        }
        return out;
    }

    /**
     * The reading of each distinct masked skeleton, in order. A line longer than the model's
     * context is read in {@link TokenStats}' overlapping windows: its first window batched with the
     * other lines, the rest on its own.
     */
    private static List<TokenSurprise> compute(CausalLm model, TextTokenizer tok, List<String> skeletons) {
        int[][] ids = new int[skeletons.size()][];
        ScoringWorkers.forEach(ids.length, i -> ids[i] = tok.encode("\n" + skeletons.get(i) + "\n"));
        int context = model.maxContext();
        int[][] opening = new int[ids.length][];
        TokenStats.Result[] rest = new TokenStats.Result[ids.length];
        List<Runnable> passes = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            int[] line = ids[i];
            if (line.length - 1 > context) {
                int k = i;
                opening[i] = Arrays.copyOf(line, TokenStats.window(line.length, context) + 1);
                passes.add(() -> rest[k] = TokenStats.pastFirstWindow(model, line, context, LONG_LINE_WINDOWS));
            } else {
                opening[i] = line;
            }
        }
        // lines of like length share a pass
        Integer[] byLength = new Integer[ids.length];
        Arrays.setAll(byLength, i -> i);
        Arrays.sort(byLength, (a, b) -> Integer.compare(opening[a].length, opening[b].length));
        Reading[] read = new Reading[ids.length];
        int i = 0;
        while (i < byLength.length) {
            int j = i + 1;
            while (j < byLength.length && (long) (j - i + 1) * (opening[byLength[j]].length - 1) <= TOKEN_BUDGET) {
                j++;
            }
            Integer[] members = Arrays.copyOfRange(byLength, i, j);
            passes.add(() -> batch(model, opening, members, read));
            i = j;
        }
        ScoringWorkers.run(passes);
        Pieces pieces = new Pieces(tok);
        TokenSurprise[] unique = new TokenSurprise[ids.length];
        ScoringWorkers.forEach(ids.length, k -> unique[k] = rest[k] == null
                ? pieces.surprise(ids[k], read[k].nll(), read[k].excess(), read[k].expected())
                : joined(ids[k], read[k], rest[k], pieces));
        return Arrays.asList(unique);
    }

    /** One line's figures for its positions 0..n-1, position k predicting token k + 1. */
    private record Reading(float[] nll, float[] excess, int[] expected) {}

    /** The lines {@code members} of {@code lines} in one plain pass, padded to the longest. */
    private static void batch(CausalLm model, int[][] lines, Integer[] members, Reading[] into) {
        int t = lines[members[members.length - 1]].length - 1;
        long[] x = new long[members.length * t];
        long[] y = new long[members.length * t];
        for (int b = 0; b < members.length; b++) {
            int[] line = lines[members[b]];
            for (int k = 0; k + 1 < line.length; k++) {
                x[b * t + k] = line[k];
                y[b * t + k] = line[k + 1];
            }
        }
        try (NDManager m = model.manager().newSubManager()) {
            Shape shape = new Shape(members.length, t);
            LogitRows.Stats stats = LogitRows.rowStats(model.forward(m.create(x, shape)), m.create(y, shape));
            for (int b = 0; b < members.length; b++) {
                int n = lines[members[b]].length - 1;
                Reading r = new Reading(new float[n], new float[n], new int[n]);
                for (int k = 0; k < n; k++) {
                    r.nll()[k] = stats.nll()[b * t + k];
                    r.excess()[k] = stats.nll()[b * t + k] - stats.entropy()[b * t + k];
                    r.expected()[k] = (int) stats.argmax()[b * t + k];
                }
                into[members[b]] = r;
            }
        }
    }

    /** A long line's reading: its first window's positions from {@code opening}, the others' from {@code rest}. */
    private static TokenSurprise joined(int[] line, Reading opening, TokenStats.Result rest, Pieces pieces) {
        int n = line.length - 1;
        int w = opening.nll().length;
        float[] nll = Arrays.copyOf(opening.nll(), n);
        float[] excess = Arrays.copyOf(opening.excess(), n);
        int[] expected = Arrays.copyOf(opening.expected(), n);
        // rest's arrays are indexed by the token predicted, one past the position predicting it
        System.arraycopy(rest.nll(), w + 1, nll, w, n - w);
        System.arraycopy(rest.excess(), w + 1, excess, w, n - w);
        System.arraycopy(rest.expected(), w + 1, expected, w, n - w);
        return pieces.surprise(line, nll, excess, expected);
    }

    /** Token texts, decoded once per id. */
    private static final class Pieces {
        private final TextTokenizer tok;
        private final Map<Integer, String> text = new ConcurrentHashMap<>();

        Pieces(TextTokenizer tok) {
            this.tok = tok;
        }

        String of(int id) {
            return text.computeIfAbsent(id, k -> tok.decode(new int[] {k}));
        }

        /** @param line the ids with the opening newline; the statistics are for line[1..] */
        TokenSurprise surprise(int[] line, float[] nll, float[] excess, int[] expected) {
            String[] saw = new String[nll.length];
            String[] guess = new String[nll.length];
            for (int k = 0; k < nll.length; k++) {
                saw[k] = of(line[k + 1]);
                guess[k] = of(expected[k]);
            }
            return new TokenSurprise(saw, nll, excess, guess);
        }
    }
}
