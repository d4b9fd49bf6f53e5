package org.slmworkbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.train.Losses;

class TokenStatsTest {
    @Test
    void withinOneWindowTheStatsAreThoseOfAPlainForwardPass() {
        LlamaConfig c = TinyModels.config(300);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(c, m, 2)) {
            int[] tokens = {5, 9, 17, 200, 3, 3, 8, 41, 99, 7};
            TokenStats.Result r = TokenStats.of(model, tokens, 64, 4);
            long[] x = Arrays.stream(Arrays.copyOf(tokens, 9)).asLongStream().toArray();
            long[] y = Arrays.stream(Arrays.copyOfRange(tokens, 1, 10)).asLongStream().toArray();
            NDArray logits = model.forward(m.create(x, new Shape(1, 9)));
            float[] nll = Losses.tokenNll(logits, m.create(y, new Shape(1, 9))).toFloatArray();
            float[] entropy = Losses.entropy(Losses.logProbs(logits)).toFloatArray();
            assertTrue(Float.isNaN(r.nll()[0]));
            for (int i = 1; i < tokens.length; i++) {
                assertEquals(nll[i - 1], r.nll()[i], 1e-5, "token " + i);
                assertEquals(nll[i - 1] - entropy[i - 1], r.excess()[i], 1e-5, "token " + i);
            }
        }
    }

    @Test
    void longStreamsGetEveryTokenScoredOnceWithContext() {
        LlamaConfig c = TinyModels.config(300);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(c, m, 2)) {
            int[] tokens = new int[250];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = (i * 37) % 300;
            }
            TokenStats.Result r = TokenStats.of(model, tokens, 32, 4);
            for (int i = 1; i < tokens.length; i++) {
                assertTrue(!Float.isNaN(r.nll()[i]) && r.nll()[i] >= 0, "token " + i);
            }
            // token 40 is scored by the second window (start 16), seeing 24 tokens of context
            long[] x = Arrays.stream(Arrays.copyOfRange(tokens, 16, 48)).asLongStream().toArray();
            long[] y = Arrays.stream(Arrays.copyOfRange(tokens, 17, 49)).asLongStream().toArray();
            float[] nll = Losses.tokenNll(model.forward(m.create(x, new Shape(1, 32))), m.create(y, new Shape(1, 32))).toFloatArray();
            assertEquals(nll[40 - 17], r.nll()[40], 1e-5);
        }
    }
    @Test
    void pastTheFirstWindowTheFiguresAreThoseOfTheWholeReading() {
        LlamaConfig c = TinyModels.config(300);
        java.util.Random random = new java.util.Random(4);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(c, m, 2)) {
            // one token past the context, a flush second window, windows every half context, and a flush last one
            for (int n : new int[] {66, 70, 96, 97, 130, 161, 200}) {
                int[] tokens = random.ints(n, 0, 300).toArray();
                int window = TokenStats.window(n, 64);
                TokenStats.Result all = TokenStats.of(model, tokens, 64, 3);
                TokenStats.Result later = TokenStats.pastFirstWindow(model, tokens, 64, 3);
                for (int i = 0; i < n; i++) {
                    if (i <= window) {
                        assertTrue(Float.isNaN(later.nll()[i]) && later.expected()[i] == -1, n + " tokens: token " + i + " is the first window's");
                        continue;
                    }
                    assertEquals(all.nll()[i], later.nll()[i], 1e-5, n + " tokens: token " + i);
                    assertEquals(all.excess()[i], later.excess()[i], 1e-5, n + " tokens: token " + i);
                    assertEquals(all.expected()[i], later.expected()[i], n + " tokens: token " + i);
                    assertEquals(all.hit()[i], later.hit()[i], n + " tokens: token " + i);
                }
            }
        }
    }
}
