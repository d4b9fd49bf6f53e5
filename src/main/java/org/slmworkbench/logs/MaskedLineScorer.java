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
 * batches are spread over the scoring threads ({@link ScoringWorkers}).
 */
public final class MaskedLineScorer {
    /**
     * Tokens per forward pass (inputs of all lines in the batch, padded). Small enough that the
     * pass's tensors (the logits alone are budget × vocabulary floats) are reused from the heap
     * instead of mapped and zeroed afresh each time, which cost as much system time as the pass.
     */
    static final int TOKEN_BUDGET = 512;
    /** Skeletons a call claims from a shared cache at a time: a few dozen forward passes' worth. */
    static final int CLAIMS_PER_ROUND = 256;

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
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] of = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            of[i] = index.computeIfAbsent(Skeletons.forModel(lines.get(i)), k -> index.size());
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

    /** The reading of each distinct masked skeleton, in order. */
    private static List<TokenSurprise> compute(CausalLm model, TextTokenizer tok, List<String> skeletons) {
        List<int[]> ids = new ArrayList<>(skeletons.size());
        skeletons.forEach(masked -> ids.add(tok.encode("\n" + masked + "\n")));
        TokenSurprise[] unique = new TokenSurprise[ids.size()];
        Pieces pieces = new Pieces(tok);
        Integer[] byLength = new Integer[ids.size()];
        Arrays.setAll(byLength, i -> i);
        Arrays.sort(byLength, (a, b) -> Integer.compare(ids.get(a).length, ids.get(b).length));
        int window = model.maxContext();
        List<Runnable> passes = new ArrayList<>();
        int i = 0;
        while (i < byLength.length) {
            int[] longest = ids.get(byLength[i]);
            if (longest.length - 1 > window) {
                int line = byLength[i];
                passes.add(() -> unique[line] = alone(model, longest, pieces));
                i++;
                continue;
            }
            int j = i;
            while (j < byLength.length && ids.get(byLength[j]).length - 1 <= window
                    && (long) (j - i + 1) * (ids.get(byLength[j]).length - 1) <= TOKEN_BUDGET) {
                j++;
            }
            Integer[] members = Arrays.copyOfRange(byLength, i, j);
            passes.add(() -> batch(model, ids, members, unique, pieces));
            i = j;
        }
        ScoringWorkers.run(passes);
        return Arrays.asList(unique);
    }

    private static void batch(CausalLm model, List<int[]> ids, Integer[] members, TokenSurprise[] into, Pieces pieces) {
        int t = ids.get(members[members.length - 1]).length - 1;
        long[] x = new long[members.length * t];
        long[] y = new long[members.length * t];
        for (int b = 0; b < members.length; b++) {
            int[] line = ids.get(members[b]);
            for (int k = 0; k + 1 < line.length; k++) {
                x[b * t + k] = line[k];
                y[b * t + k] = line[k + 1];
            }
        }
        try (NDManager m = model.manager().newSubManager()) {
            Shape shape = new Shape(members.length, t);
            LogitRows.Stats stats = LogitRows.stats(model.forward(m.create(x, shape)), m.create(y, shape));
            float[] nll = stats.nll();
            float[] entropy = stats.entropy();
            long[] argmax = stats.argmax();
            for (int b = 0; b < members.length; b++) {
                int[] line = ids.get(members[b]);
                int n = line.length - 1;
                float[] lineNll = new float[n];
                float[] excess = new float[n];
                int[] expected = new int[n];
                for (int k = 0; k < n; k++) {
                    lineNll[k] = nll[b * t + k];
                    excess[k] = nll[b * t + k] - entropy[b * t + k];
                    expected[k] = (int) argmax[b * t + k];
                }
                into[members[b]] = pieces.surprise(line, lineNll, excess, expected);
            }
        }
    }

    /** A line longer than the model's context, in overlapping windows. */
    private static TokenSurprise alone(CausalLm model, int[] line, Pieces pieces) {
        TokenStats.Result r = TokenStats.of(model, line, model.maxContext(), 8);
        int n = line.length - 1;
        return pieces.surprise(line, Arrays.copyOfRange(r.nll(), 1, n + 1), Arrays.copyOfRange(r.excess(), 1, n + 1),
                Arrays.copyOfRange(r.expected(), 1, n + 1));
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
