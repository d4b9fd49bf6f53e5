package org.slmworkbench.logs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slmworkbench.bench.TokenStats;
import org.slmworkbench.bench.TokenSurprise;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;

/**
 * Language-model surprise of each line on its own, read as its masked skeleton ({@link
 * Skeletons#forModel}) after a newline. Masking spares the model the values it cannot know (ids,
 * addresses, counters) and the tokens they cost; judging lines alone makes identical skeletons one
 * computation, and a log repeats its skeletons thousands of times. Lines that open alike share the
 * passes of their openings ({@link SharedPrefixPasses}), many lines to a pass, so the per-op
 * overhead of the engine is paid once per batch, not per line; the batches are spread over the
 * scoring threads ({@link ScoringWorkers}).
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
     * context is read in {@link TokenStats}' overlapping windows: its first window with the other
     * lines, the rest on its own.
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
        // in order, lines that open alike are neighbours and share the passes of their openings
        Integer[] order = new Integer[ids.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Arrays.compare(opening[a], opening[b]));
        List<int[]> sorted = new ArrayList<>(order.length);
        for (int i : order) {
            sorted.add(opening[i]);
        }
        SharedPrefixPasses.Reading[] read = new SharedPrefixPasses.Reading[ids.length];
        for (int from = 0, to; from < sorted.size(); from = to) {
            to = SharedPrefixPasses.windowEnd(model, sorted, from);
            int first = from;
            List<int[]> window = sorted.subList(from, to);
            passes.add(() -> {
                SharedPrefixPasses.Reading[] r = SharedPrefixPasses.read(model, window);
                for (int k = 0; k < r.length; k++) {
                    read[order[first + k]] = r[k];
                }
            });
        }
        ScoringWorkers.run(passes);
        Pieces pieces = new Pieces(tok);
        TokenSurprise[] unique = new TokenSurprise[ids.length];
        ScoringWorkers.forEach(ids.length, i -> unique[i] = rest[i] == null
                ? pieces.surprise(ids[i], read[i].nll(), read[i].excess(), read[i].expected())
                : joined(ids[i], read[i], rest[i], pieces));
        return Arrays.asList(unique);
    }

    /** A long line's reading: its first window's positions from {@code opening}, the others' from {@code rest}. */
    private static TokenSurprise joined(int[] line, SharedPrefixPasses.Reading opening, TokenStats.Result rest, Pieces pieces) {
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
