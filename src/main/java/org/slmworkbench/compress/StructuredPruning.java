package org.slmworkbench.compress;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.slmworkbench.model.LlamaConfig;

/**
 * Structured pruning: removes whole key/value groups (a key/value head with the query heads that
 * share it, so grouped- and multi-query attention stay valid) and whole MLP neurons, by weight
 * importance, and slices the matrices so the result is a smaller dense model that runs faster.
 * Every layer keeps the same number of groups and neurons (the config has one size for all
 * layers); the neuron count is rounded to a multiple of 8 and at least one group always stays.
 */
final class StructuredPruning {
    private static final int NEURON_MULTIPLE = 8;

    private StructuredPruning() {}

    /** The pruned config and weights; {@code weights} holds every tensor of the layers kept. */
    record Result(LlamaConfig config, Map<String, float[]> weights) {}

    static Result prune(LlamaConfig c, Map<String, float[]> weights, double ratio) {
        int groups = c.numKeyValueHeads();
        int keepGroups = Math.max(1, (int) Math.round(groups * (1 - ratio)));
        int keepNeurons = Math.max(NEURON_MULTIPLE,
                (int) Math.round(c.intermediateSize() * (1 - ratio) / NEURON_MULTIPLE) * NEURON_MULTIPLE);
        keepNeurons = Math.min(keepNeurons, c.intermediateSize());
        int perGroup = c.numAttentionHeads() / groups;
        LlamaConfig pruned = new LlamaConfig(c.hiddenSize(), keepNeurons, c.numHiddenLayers(), keepGroups * perGroup, keepGroups,
                c.headDim(), c.rmsNormEps(), c.ropeTheta(), c.maxPositionEmbeddings(), c.vocabSize(), c.tieWordEmbeddings(),
                c.bosTokenId(), c.eosTokenId());
        Map<String, float[]> out = new LinkedHashMap<>(weights);
        int h = c.hiddenSize();
        int hd = c.headDim();
        for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
            String p = "model.layers." + layer + ".";
            float[] q = weights.get(p + "self_attn.q_proj.weight");
            float[] k = weights.get(p + "self_attn.k_proj.weight");
            float[] v = weights.get(p + "self_attn.v_proj.weight");
            float[] o = weights.get(p + "self_attn.o_proj.weight");
            int qPerGroup = perGroup * hd;
            double[] groupScore = new double[groups];
            for (int g = 0; g < groups; g++) {
                groupScore[g] = rowsNorm(q, h, g * qPerGroup, qPerGroup) + rowsNorm(k, h, g * hd, hd) + rowsNorm(v, h, g * hd, hd)
                        + colsNorm(o, h, c.numAttentionHeads() * hd, g * qPerGroup, qPerGroup);
            }
            int[] groupsKept = top(groupScore, keepGroups);
            int[] qRows = expand(groupsKept, qPerGroup);
            int[] kvRows = expand(groupsKept, hd);
            out.put(p + "self_attn.q_proj.weight", rows(q, h, qRows));
            out.put(p + "self_attn.k_proj.weight", rows(k, h, kvRows));
            out.put(p + "self_attn.v_proj.weight", rows(v, h, kvRows));
            out.put(p + "self_attn.o_proj.weight", cols(o, h, c.numAttentionHeads() * hd, qRows));

            float[] gate = weights.get(p + "mlp.gate_proj.weight");
            float[] up = weights.get(p + "mlp.up_proj.weight");
            float[] down = weights.get(p + "mlp.down_proj.weight");
            int inter = c.intermediateSize();
            double[] neuronScore = new double[inter];
            for (int n = 0; n < inter; n++) {
                neuronScore[n] = rowsNorm(gate, h, n, 1) * rowsNorm(up, h, n, 1) * colsNorm(down, h, inter, n, 1);
            }
            int[] neuronsKept = top(neuronScore, keepNeurons);
            out.put(p + "mlp.gate_proj.weight", rows(gate, h, neuronsKept));
            out.put(p + "mlp.up_proj.weight", rows(up, h, neuronsKept));
            out.put(p + "mlp.down_proj.weight", cols(down, h, inter, neuronsKept));
        }
        return new Result(pruned, out);
    }

    /** Indices of the {@code n} largest scores, in ascending index order (keeps the heads' order). */
    static int[] top(double[] score, int n) {
        return IntStream.range(0, score.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -score[i]).thenComparingInt(i -> i))
                .limit(n).mapToInt(Integer::intValue).sorted().toArray();
    }

    private static int[] expand(int[] blocks, int size) {
        return Arrays.stream(blocks).flatMap(b -> IntStream.range(b * size, (b + 1) * size)).toArray();
    }

    /** L2 norm of rows [from, from + n) of a row-major matrix with {@code width} columns. */
    private static double rowsNorm(float[] m, int width, int from, int n) {
        double s = 0;
        for (int i = from * width; i < (from + n) * width; i++) {
            s += (double) m[i] * m[i];
        }
        return Math.sqrt(s);
    }

    private static double colsNorm(float[] m, int rows, int width, int from, int n) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = from; c < from + n; c++) {
                double x = m[r * width + c];
                s += x * x;
            }
        }
        return Math.sqrt(s);
    }

    private static float[] rows(float[] m, int width, int[] keep) {
        float[] out = new float[keep.length * width];
        for (int i = 0; i < keep.length; i++) {
            System.arraycopy(m, keep[i] * width, out, i * width, width);
        }
        return out;
    }

    private static float[] cols(float[] m, int rows, int width, int[] keep) {
        float[] out = new float[rows * keep.length];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < keep.length; i++) {
                out[r * keep.length + i] = m[r * width + keep[i]];
            }
        }
        return out;
    }
}
