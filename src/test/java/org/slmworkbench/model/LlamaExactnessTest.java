package org.slmworkbench.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.ReferenceMath;
import org.slmworkbench.checkpoint.CheckpointShape;
import org.slmworkbench.checkpoint.LoadedModel;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.TestCheckpoints;
import org.slmworkbench.io.TensorDType;

/** Logits of a loaded Llama checkpoint (GQA, odd sizes, untied head; BF16 ones sharded) against the plain-Java reference. */
class LlamaExactnessTest {
    private static final int[] IDS = {5, 17, 200, 3, 9, 258, 0, 41, 41, 120, 7};
    /** hidden 27 with 6 query heads of 6 over 2 key/value heads, MLP 41. */
    private static final LlamaConfig CONFIG = new LlamaConfig(27, 41, 3, 6, 2, 6, 1e-5, 10000, 32, TestCheckpoints.VOCAB, false, 0, 0);

    @TempDir Path tmp;

    @ParameterizedTest
    @EnumSource(value = TensorDType.class, names = {"F32", "BF16"})
    void logitsMatchTheDoubleReferenceFromTheSameTensors(TensorDType dtype) throws IOException {
        Path dir = tmp.resolve("m");
        TestCheckpoints.write(dir, CheckpointShape.of(CONFIG), dtype, 13, dtype == TensorDType.BF16 ? 8 << 10 : 1L << 30);
        double[][] expected = LlamaReference.logits(CONFIG, TestCheckpoints.read(dir), IDS);
        long[] ids = java.util.Arrays.stream(IDS).asLongStream().toArray();
        try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = ModelDirectory.load(dir, m)) {
            float[] actual = loaded.model().forward(m.create(ids, new Shape(1, ids.length))).toFloatArray();
            double maxDiff = ReferenceMath.maxAbsDiff(expected, actual);
            assertTrue(maxDiff <= 1e-4, dtype + ": max abs diff " + maxDiff);
        }
    }
}
