package org.slmworkbench.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slmworkbench.bench.TokenSurprise;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.Engines;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

class SkeletonCacheTest {
    /** 600 lines of 300 skeletons (more than a round of claims), each file repeating the others' skeletons. */
    private static List<List<String>> files() {
        List<List<String>> files = new ArrayList<>();
        String[] words = {"accepted", "failed", "closed", "opened", "reset", "denied", "timed out", "dropped", "queued", "sent"};
        for (int f = 0; f < 4; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                int k = (i * 7 + f * 75) % 300;
                lines.add("host-" + f + " daemon[" + i + "]: " + words[k % 10] + " " + words[(k / 10) % 10] + " " + words[k / 100]);
            }
            files.add(lines);
        }
        return files;
    }

    @Test
    void filesScoredOneByOneOnTwoThreadsThroughOneCacheScoreAsAllTogether() throws Exception {
        ByteBpeTokenizer tok = TinyModels.tokenizer();
        List<List<String>> files = files();
        List<String> all = files.stream().flatMap(List::stream).toList();
        int before = Engines.threads();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(TinyModels.config(tok.vocabSize()), m, 7)) {
            Engines.setThreads(1);
            List<TokenSurprise> together = MaskedLineScorer.score(model, tok, all);
            SkeletonCache cache = new SkeletonCache(10_000);
            List<Future<List<TokenSurprise>>> byFile = new ArrayList<>();
            for (List<String> file : files) {
                byFile.add(pool.submit(() -> {
                    AtomicReference<List<TokenSurprise>> scored = new AtomicReference<>();
                    Engines.withoutGradients(() -> scored.set(MaskedLineScorer.score(model, tok, file, cache)));
                    return scored.get();
                }));
            }
            List<TokenSurprise> oneByOne = new ArrayList<>();
            for (Future<List<TokenSurprise>> f : byFile) {
                oneByOne.addAll(f.get());
            }
            for (int i = 0; i < all.size(); i++) {
                assertArrayEquals(together.get(i).nll(), oneByOne.get(i).nll(), 1e-5f, all.get(i));
                assertArrayEquals(together.get(i).expected(), oneByOne.get(i).expected(), all.get(i));
            }
            long distinct = new HashSet<>(all.stream().map(Skeletons::forModel).toList()).size();
            assertEquals(distinct, cache.size(), "each skeleton read once and kept");
            List<TokenSurprise> again = MaskedLineScorer.score(model, tok, files.get(0), cache);
            assertSame(oneByOne.get(0), again.get(0), "a kept skeleton is not read again");
        } finally {
            pool.shutdownNow();
            Engines.setThreads(before);
        }
    }

    @Test
    void aFullCacheKeepsWhatItHasAndStillScoresTheRest() {
        ByteBpeTokenizer tok = TinyModels.tokenizer();
        List<String> lines = files().get(0);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(TinyModels.config(tok.vocabSize()), m, 7)) {
            SkeletonCache cache = new SkeletonCache(10);
            List<TokenSurprise> capped = MaskedLineScorer.score(model, tok, lines, cache);
            List<TokenSurprise> plain = MaskedLineScorer.score(model, tok, lines);
            assertEquals(10, cache.size());
            for (int i = 0; i < lines.size(); i++) {
                assertArrayEquals(plain.get(i).nll(), capped.get(i).nll(), 1e-5f, lines.get(i));
            }
        }
    }
}
