package org.slmworkbench.model;

import java.util.Map;
import org.slmworkbench.ReferenceMath;

/** An independent plain-Java Llama forward pass in doubles from the checkpoint's tensors (RMSNorm, rotate-half RoPE, GQA, SwiGLU). */
final class LlamaReference {
    private LlamaReference() {}

    static double[][] logits(LlamaConfig c, Map<String, float[]> t, int[] ids) {
        int n = ids.length;
        int e = c.hiddenSize();
        int hd = c.headDim();
        double[][] x = new double[n][e];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < e; i++) {
                x[p][i] = t.get("model.embed_tokens.weight")[ids[p] * e + i];
            }
        }
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String pre = "model.layers." + l + ".";
            double[][] a = rmsNorm(x, t.get(pre + "input_layernorm.weight"), c.rmsNormEps());
            double[][][] q = heads(rope(ReferenceMath.linear(a, t.get(pre + "self_attn.q_proj.weight"), null, c.numAttentionHeads() * hd), c), hd);
            double[][][] k = heads(rope(ReferenceMath.linear(a, t.get(pre + "self_attn.k_proj.weight"), null, c.numKeyValueHeads() * hd), c), hd);
            double[][][] v = heads(ReferenceMath.linear(a, t.get(pre + "self_attn.v_proj.weight"), null, c.numKeyValueHeads() * hd), hd);
            double[][] attn = ReferenceMath.causalAttention(q, k, v, 1 / Math.sqrt(hd));
            ReferenceMath.addInPlace(x, ReferenceMath.linear(attn, t.get(pre + "self_attn.o_proj.weight"), null, e));
            double[][] m = rmsNorm(x, t.get(pre + "post_attention_layernorm.weight"), c.rmsNormEps());
            double[][] gate = ReferenceMath.linear(m, t.get(pre + "mlp.gate_proj.weight"), null, c.intermediateSize());
            double[][] up = ReferenceMath.linear(m, t.get(pre + "mlp.up_proj.weight"), null, c.intermediateSize());
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < c.intermediateSize(); i++) {
                    gate[p][i] = gate[p][i] / (1 + Math.exp(-gate[p][i])) * up[p][i];
                }
            }
            ReferenceMath.addInPlace(x, ReferenceMath.linear(gate, t.get(pre + "mlp.down_proj.weight"), null, e));
        }
        double[][] h = rmsNorm(x, t.get("model.norm.weight"), c.rmsNormEps());
        float[] head = c.tieWordEmbeddings() ? t.get("model.embed_tokens.weight") : t.get("lm_head.weight");
        return ReferenceMath.linear(h, head, null, c.vocabSize());
    }

    /** Rotates each head's halves by position · theta^(-2i/hd), position = row index. */
    private static double[][] rope(double[][] x, LlamaConfig c) {
        int hd = c.headDim();
        int half = hd / 2;
        double[][] y = new double[x.length][x[0].length];
        for (int p = 0; p < x.length; p++) {
            for (int base = 0; base < x[p].length; base += hd) {
                for (int i = 0; i < half; i++) {
                    double angle = p * Math.pow(c.ropeTheta(), -2.0 * i / hd);
                    double a = x[p][base + i];
                    double b = x[p][base + i + half];
                    y[p][base + i] = a * Math.cos(angle) - b * Math.sin(angle);
                    y[p][base + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
                }
            }
        }
        return y;
    }

    private static double[][][] heads(double[][] x, int hd) {
        double[][][] y = new double[x.length][x[0].length / hd][hd];
        for (int p = 0; p < x.length; p++) {
            for (int i = 0; i < x[p].length; i++) {
                y[p][i / hd][i % hd] = x[p][i];
            }
        }
        return y;
    }

    private static double[][] rmsNorm(double[][] x, float[] w, double eps) {
        double[][] y = new double[x.length][];
        for (int p = 0; p < x.length; p++) {
            double ms = 0;
            for (double v : x[p]) {
                ms += v * v;
            }
            ms /= x[p].length;
            y[p] = new double[x[p].length];
            for (int i = 0; i < x[p].length; i++) {
                y[p][i] = x[p][i] / Math.sqrt(ms + eps) * w[i];
            }
        }
        return y;
    }
}
