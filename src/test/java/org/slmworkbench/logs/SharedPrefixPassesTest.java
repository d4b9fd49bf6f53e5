package org.slmworkbench.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.bench.LogitRows;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.GptFolders;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.LlamaModel;

class SharedPrefixPassesTest {
    @TempDir Path tmp;

    @Test
    void llamaSequencesThatShareOpeningsGetThePlainPassFigures() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(TinyModels.config(300), m, 7)) {
            checkAgainstPlainPasses(model, m, 300);
        }
    }

    @Test
    void gptBigCodeWithAContextOfNoWholeChunksGetsThePlainPassFigures() throws IOException {
        // 20 positions: the last depth's chunk is 4 wide, and positions come from a table, not RoPE
        Path dir = tmp.resolve("bigcode");
        GptFolders.write(dir, GptFolders.bigCode(true), TensorDType.F32, 5);
        try (NDManager m = NDManager.newBaseManager(); LoadedLm lm = CheckpointLoader.load(dir, m)) {
            assertEquals(20, lm.model().maxContext());
            checkAgainstPlainPasses(lm.model(), m, GptFolders.VOCAB);
        }
    }

    @Test
    void windowsStopAtOnePassOfSharedNodes() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(TinyModels.config(300), m, 7)) {
            List<int[]> many = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                many.add(new int[] {1, 2, i % 250, 3});
            }
            int end = SharedPrefixPasses.windowEnd(model, many, 10);
            assertEquals(10 + 2 * MaskedLineScorer.TOKEN_BUDGET / SharedPrefixPasses.CHUNK, end);
            assertEquals(300, SharedPrefixPasses.windowEnd(model, many, 299), "the last window ends at the last sequence");
        }
    }

    /** Every sequence read together, in order, against a plain causal pass over it alone. */
    private static void checkAgainstPlainPasses(CausalLm model, NDManager m, int vocab) {
        List<int[]> sequences = sequences(vocab, model.maxContext(), new Random(3));
        SharedPrefixPasses.Reading[] together = SharedPrefixPasses.read(model, sequences);
        assertEquals(sequences.size(), together.length);
        for (int i = 0; i < sequences.size(); i++) {
            int[] s = sequences.get(i);
            int n = s.length - 1;
            try (NDManager p = m.newSubManager()) {
                long[] x = Arrays.stream(Arrays.copyOf(s, n)).asLongStream().toArray();
                long[] y = Arrays.stream(Arrays.copyOfRange(s, 1, n + 1)).asLongStream().toArray();
                NDArray logits = model.forward(p.create(x, new Shape(1, n)));
                LogitRows.Stats plain = LogitRows.stats(logits, p.create(y, new Shape(1, n)));
                SharedPrefixPasses.Reading r = together[i];
                assertArrayEquals(plain.nll(), r.nll(), 1e-4f, "sequence " + i + " of " + s.length + " tokens");
                for (int k = 0; k < n; k++) {
                    assertEquals(plain.nll()[k] - plain.entropy()[k], r.excess()[k], 1e-4, "sequence " + i + " position " + k);
                    assertEquals(plain.argmax()[k], r.expected()[k], "sequence " + i + " position " + k);
                }
            }
        }
    }

    /**
     * Sequences that leave one trunk at every position around the chunks' edges, end inside a
     * chunk and on its edge, repeat one another, open the trunk without leaving it, and share
     * openings in many places at once; sorted.
     */
    private static List<int[]> sequences(int vocab, int context, Random random) {
        int chunk = SharedPrefixPasses.CHUNK;
        int[] trunk = random.ints(context + 1, 0, vocab).toArray();
        List<int[]> out = new ArrayList<>();
        for (int leave : new int[] {0, 1, 2, chunk - 1, chunk, chunk + 1, 2 * chunk, 2 * chunk + 3, context - 1}) {
            for (int length : new int[] {leave + 2, leave + 5, 2 * chunk, 2 * chunk + 1, 3 * chunk + 2, context + 1}) {
                if (length <= leave || length > context + 1) {
                    continue;
                }
                int[] s = Arrays.copyOf(trunk, length);
                for (int k = leave; k < length; k++) {
                    s[k] = random.nextInt(vocab);
                }
                out.add(s);
            }
        }
        // over two tokens, many openings are shared by a few sequences each, branching at every depth
        for (int i = 0; i < 60; i++) {
            out.add(random.ints(2 + random.nextInt(context), 1, 3).toArray());
        }
        out.add(trunk.clone());
        out.add(trunk.clone());
        out.add(Arrays.copyOf(trunk, chunk + 2));
        out.add(Arrays.copyOf(trunk, 2 * chunk + 1));
        out.sort(Arrays::compare);
        assertTrue(out.size() > 40);
        return out;
    }
}
