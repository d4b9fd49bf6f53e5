package org.slmworkbench.model.gpt2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slmworkbench.ReferenceMath;
import org.slmworkbench.TestArrays;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.GptFolders;
import org.slmworkbench.checkpoint.TestCheckpoints;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.KvCache;

/** Logits of loaded GPT-2 / GPTBigCode checkpoints against the plain-Java reference, and cached decoding against the full pass. */
class GptExactnessTest {
    private static final int[] IDS = {5, 17, 200, 3, 9, 258, 0, 41, 41, 120, 7};

    @TempDir Path tmp;

    static Stream<Arguments> checkpoints() {
        return Stream.of(GptFolders.gpt2(), GptFolders.gpt2Untied(), GptFolders.bigCode(true), GptFolders.bigCode(false))
                .flatMap(c -> Stream.of(Arguments.of(c, TensorDType.F32), Arguments.of(c, TensorDType.BF16)));
    }

    @ParameterizedTest
    @MethodSource("checkpoints")
    void logitsMatchTheDoubleReferenceFromTheSameTensors(GptConfig c, TensorDType dtype) throws IOException {
        Path dir = tmp.resolve("m");
        GptFolders.write(dir, c, dtype, 11);
        double[][] expected = GptReference.logits(c, TestCheckpoints.read(dir), IDS);
        try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(dir, m)) {
            assertEquals(c.architecture(), loaded.model().architecture());
            float[] actual = loaded.model().forward(ids(m, IDS)).toFloatArray();
            double maxDiff = ReferenceMath.maxAbsDiff(expected, actual);
            assertTrue(maxDiff <= 1e-4, c + " " + dtype + ": max abs diff " + maxDiff);
            assertTrue(Arrays.stream(expected).flatMapToDouble(Arrays::stream).map(Math::abs).max().orElse(0) > 1,
                    "logits large enough to show a difference");
        }
    }

    @ParameterizedTest
    @MethodSource("checkpoints")
    void kvCacheDecodingMatchesTheFullForward(GptConfig c, TensorDType dtype) throws IOException {
        if (dtype != TensorDType.F32) {
            return; // the cache path does not depend on the stored dtype
        }
        Path dir = tmp.resolve("m");
        GptFolders.write(dir, c, dtype, 5);
        try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(dir, m)) {
            CausalLm model = loaded.model();
            NDArray all = ids(m, IDS);
            float[] full = model.forward(all).toFloatArray();
            float[] incremental = new float[full.length];
            int v = c.vocabSize();
            try (KvCache cache = model.newCache(1, 32)) {
                // a prefill of 4, a chunk of 3 that needs the causal mask past the cache, then one token at a time
                int[][] chunks = {{0, 4}, {4, 7}, {7, 8}, {8, 9}, {9, 10}, {10, 11}};
                for (int[] chunk : chunks) {
                    NDArray logits = model.forward(all.get(new NDIndex(":, {}:{}", chunk[0], chunk[1])), cache, model.numLayers());
                    System.arraycopy(logits.toFloatArray(), 0, incremental, chunk[0] * v, (chunk[1] - chunk[0]) * v);
                }
                assertEquals(IDS.length, cache.length());
            }
            double maxDiff = TestArrays.maxAbsDiff(full, incremental);
            assertTrue(maxDiff <= 1e-4, "max abs diff " + maxDiff);
        }
    }

    @Test
    void earlyExitLeavesAtTheFirstConfidentLayerAndKeepsTheCacheWhole() throws IOException {
        GptConfig c = GptFolders.bigCode(true);
        Path dir = tmp.resolve("m");
        GptFolders.write(dir, c, TensorDType.F32, 3);
        try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(dir, m)) {
            CausalLm model = loaded.model();
            NDArray prompt = ids(m, new int[] {4, 8, 15});
            NDArray next = ids(m, new int[] {16});
            try (KvCache never = model.newCache(1, 8); KvCache plain = model.newCache(1, 8); KvCache always = model.newCache(1, 8)) {
                model.forward(prompt, never, model.numLayers());
                model.forward(prompt, plain, model.numLayers());
                model.forward(prompt, always, model.numLayers());
                CausalLm.EarlyExitStep late = model.forwardEarlyExit(next, never, 1.01);
                assertEquals(model.numLayers(), late.exitLayer());
                assertEquals(0, TestArrays.maxAbsDiff(model.forward(next, plain, model.numLayers()).toFloatArray(), late.logits().toFloatArray()),
                        1e-6);
                CausalLm.EarlyExitStep early = model.forwardEarlyExit(next, always, 0);
                assertEquals(1, early.exitLayer());
                assertEquals(4, always.length());
                NDArray after = model.forwardEarlyExit(ids(m, new int[] {23}), always, 0).logits();
                assertEquals(new Shape(1, 1, c.vocabSize()), after.getShape());
            }
        }
    }

    @Test
    void parametersCarryTheHuggingFaceNamesAndTheFileShapesAreHuggingFaces() throws IOException {
        GptConfig gpt2 = GptFolders.gpt2();
        Map<String, Shape> gpt2Shapes = GptTensors.fileShapes(gpt2);
        assertEquals(new Shape(30, 90), gpt2Shapes.get("transformer.h.0.attn.c_attn.weight"), "Conv1D (in, out)");
        assertEquals(new Shape(47, 30), gpt2Shapes.get("transformer.h.2.mlp.c_proj.weight"));
        assertEquals(new Shape(21 + 2 * 7, 21), GptTensors.fileShapes(GptFolders.bigCode(true)).get("transformer.h.0.attn.c_attn.weight"));
        assertEquals(new Shape(3 * 21, 21), GptTensors.fileShapes(GptFolders.bigCode(false)).get("transformer.h.0.attn.c_attn.weight"));
        Path dir = tmp.resolve("m");
        GptFolders.write(dir, gpt2, TensorDType.F32, 1);
        try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(dir, m)) {
            assertEquals(gpt2Shapes.keySet(), loaded.model().parameters().keySet());
            assertEquals(gpt2.parameterCount(), loaded.model().parameters().values().stream().mapToLong(p -> p.getArray().size()).sum());
        }
    }

    @Test
    void referenceErfIsAccurate() {
        assertEquals(0.5204998778130465, GptReference.erf(0.5), 1e-13);
        assertEquals(-0.8427007929497149, GptReference.erf(-1), 1e-13);
        assertEquals(0.9999992569016276, GptReference.erf(3.5), 1e-13);
    }

    private static NDArray ids(NDManager m, int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return m.create(l, new Shape(1, ids.length));
    }
}
