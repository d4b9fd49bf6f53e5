package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.slmworkbench.TestArrays;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.ModelConfig;

class StructuredPruningTest {
    /** hidden 32, intermediate 64, 4 query heads in 2 key/value groups of head size 8. */
    final LlamaConfig c = TinyModels.config(300);

    @Test
    void theSmallerModelComputesWhatTheBaseDoesWithTheWeakestGroupsAndNeuronsSilenced() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(c, m, 5);
                LlamaModel silenced = TinyModels.random(c, m, 5)) {
            // make key/value group 1 and neurons 32..63 the least important in every layer
            for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
                String p = "model.layers." + layer + ".";
                scaleRows(base, p + "self_attn.q_proj.weight", 16, 32, 1e-3f);
                scaleRows(base, p + "mlp.gate_proj.weight", 32, 64, 1e-3f);
                copy(base, silenced, p + "self_attn.q_proj.weight");
                copy(base, silenced, p + "mlp.gate_proj.weight");
                // silencing: the o_proj columns of heads 2-3 and the down_proj columns of neurons 32..63 carry nothing
                zeroColumns(silenced, p + "self_attn.o_proj.weight", 32, 16, 32);
                zeroColumns(silenced, p + "mlp.down_proj.weight", 64, 32, 64);
            }
            try (CompressedModel pruned = Compressor.compress(base, CompressionConfig.parse("prune=0.5:structured"), m)) {
                ModelConfig pc = pruned.model().config();
                assertEquals(2, pc.heads());
                assertEquals(1, pc.kvHeads());
                assertEquals(32, pc.mlpWidth());
                assertTrue(pruned.model().parameterCount() < base.parameterCount());
                long[] ids = {5, 17, 200, 3, 9, 44, 101};
                float[] expected = silenced.forward(m.create(ids, new Shape(1, 7))).toFloatArray();
                float[] actual = pruned.model().forward(m.create(ids, new Shape(1, 7))).toFloatArray();
                assertTrue(TestArrays.maxAbsDiff(expected, actual) < 1e-5, "max diff " + TestArrays.maxAbsDiff(expected, actual));
            }
        }
    }

    @Test
    void neuronCountsAreMultiplesOfEightAndAGroupAlwaysStays() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(c, m, 5);
                CompressedModel pruned = Compressor.compress(base, CompressionConfig.parse("prune=0.95:structured"), m)) {
            assertEquals(1, pruned.model().config().kvHeads());
            assertEquals(8, pruned.model().config().mlpWidth());
        }
        assertEquals(java.util.List.of(1, 3), java.util.Arrays.stream(StructuredPruning.top(new double[] {1, 5, 0, 7}, 2)).boxed().toList());
    }

    private static void scaleRows(LlamaModel model, String name, int from, int to, float factor) {
        var array = model.parameters().get(name).getArray();
        float[] v = array.toFloatArray();
        int width = (int) array.getShape().get(1);
        for (int i = from * width; i < to * width; i++) {
            v[i] *= factor;
        }
        array.set(v);
    }

    private static void zeroColumns(LlamaModel model, String name, int width, int from, int to) {
        var array = model.parameters().get(name).getArray();
        float[] v = array.toFloatArray();
        for (int r = 0; r < v.length / width; r++) {
            for (int col = from; col < to; col++) {
                v[r * width + col] = 0;
            }
        }
        array.set(v);
    }

    private static void copy(LlamaModel from, LlamaModel to, String name) {
        to.parameters().get(name).getArray().set(from.parameters().get(name).getArray().toFloatArray());
    }
}
