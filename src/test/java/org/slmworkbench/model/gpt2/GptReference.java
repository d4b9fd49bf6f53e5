package org.slmworkbench.model.gpt2;

import java.util.Map;
import org.slmworkbench.ReferenceMath;

/**
 * An independent plain-Java forward pass in doubles, reading tensors exactly as Hugging Face files
 * store them (GPT-2's Conv1D weights (in, out); GPTBigCode's nn.Linear weights (out, in) and its
 * c_attn split as transformers splits it), so it shares no layout code with the model under test.
 */
public final class GptReference {
    private GptReference() {}

    /** Logits [position][token] for {@code ids}, from file-layout tensors by canonical name. */
    public static double[][] logits(GptConfig c, Map<String, float[]> t, int[] ids) {
        int n = ids.length;
        int e = c.nEmbd();
        double[][] x = new double[n][e];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < e; i++) {
                x[p][i] = t.get("transformer.wte.weight")[ids[p] * e + i] + t.get("transformer.wpe.weight")[p * e + i];
            }
        }
        for (int l = 0; l < c.nLayer(); l++) {
            String pre = "transformer.h." + l + ".";
            double[][] a = layerNorm(x, t.get(pre + "ln_1.weight"), t.get(pre + "ln_1.bias"), c.layerNormEpsilon());
            double[][] qkv = project(c, a, t.get(pre + "attn.c_attn.weight"), t.get(pre + "attn.c_attn.bias"), c.qkvWidth());
            ReferenceMath.addInPlace(x, project(c, attention(c, qkv), t.get(pre + "attn.c_proj.weight"), t.get(pre + "attn.c_proj.bias"), e));
            double[][] m = layerNorm(x, t.get(pre + "ln_2.weight"), t.get(pre + "ln_2.bias"), c.layerNormEpsilon());
            double[][] f = project(c, m, t.get(pre + "mlp.c_fc.weight"), t.get(pre + "mlp.c_fc.bias"), c.nInner());
            for (double[] row : f) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = gelu(c.activationFunction(), row[i]);
                }
            }
            ReferenceMath.addInPlace(x, project(c, f, t.get(pre + "mlp.c_proj.weight"), t.get(pre + "mlp.c_proj.bias"), e));
        }
        double[][] h = layerNorm(x, t.get("transformer.ln_f.weight"), t.get("transformer.ln_f.bias"), c.layerNormEpsilon());
        float[] head = c.tieWordEmbeddings() ? t.get("transformer.wte.weight") : t.get("lm_head.weight");
        double[][] logits = new double[n][c.vocabSize()];
        for (int p = 0; p < n; p++) {
            for (int v = 0; v < c.vocabSize(); v++) {
                double s = 0;
                for (int i = 0; i < e; i++) {
                    s += h[p][i] * head[v * e + i];
                }
                logits[p][v] = s;
            }
        }
        return logits;
    }

    /** Causal attention; the query, key and value of each head are located in c_attn's output the way each family stores them. */
    private static double[][] attention(GptConfig c, double[][] qkv) {
        int n = qkv.length;
        int hd = c.headDim();
        double[][][] q = new double[n][c.nHead()][hd];
        double[][][] k = new double[n][c.kvHeads()][hd];
        double[][][] v = new double[n][c.kvHeads()][hd];
        for (int p = 0; p < n; p++) {
            for (int h = 0; h < c.nHead(); h++) {
                for (int d = 0; d < hd; d++) {
                    q[p][h][d] = qkv[p][offset(c, 0, h, d)];
                    k[p][h % c.kvHeads()][d] = qkv[p][offset(c, 1, h, d)];
                    v[p][h % c.kvHeads()][d] = qkv[p][offset(c, 2, h, d)];
                }
            }
        }
        return ReferenceMath.causalAttention(q, k, v, c.scaleAttnWeights() ? 1 / Math.sqrt(hd) : 1);
    }

    /** Where part (0 query, 1 key, 2 value) of head h, dimension d sits in c_attn's output. */
    private static int offset(GptConfig c, int part, int h, int d) {
        int hd = c.headDim();
        int e = c.nEmbd();
        if (c.family() == GptFamily.GPT2) {
            return part * e + h * hd + d; // query | key | value, each all heads
        }
        if (c.multiQuery()) {
            return part == 0 ? h * hd + d : e + (part - 1) * hd + d; // query (all heads) | key | value of the one shared head
        }
        return h * 3 * hd + part * hd + d; // view(heads, 3·hd): q, k, v of each head in turn
    }

    /** GPT-2's Conv1D keeps W as (in, out); GPTBigCode's nn.Linear as (out, in). */
    private static double[][] project(GptConfig c, double[][] x, float[] w, float[] b, int out) {
        if (c.family() != GptFamily.GPT2) {
            return ReferenceMath.linear(x, w, b, out);
        }
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int p = 0; p < x.length; p++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += x[p][i] * w[i * out + o];
                }
                y[p][o] = s;
            }
        }
        return y;
    }

    private static double[][] layerNorm(double[][] x, float[] w, float[] b, double eps) {
        double[][] y = new double[x.length][];
        for (int p = 0; p < x.length; p++) {
            double mean = 0;
            for (double v : x[p]) {
                mean += v;
            }
            mean /= x[p].length;
            double var = 0;
            for (double v : x[p]) {
                var += (v - mean) * (v - mean);
            }
            var /= x[p].length;
            y[p] = new double[x[p].length];
            for (int i = 0; i < x[p].length; i++) {
                y[p][i] = (x[p][i] - mean) / Math.sqrt(var + eps) * w[i] + b[i];
            }
        }
        return y;
    }

    private static double gelu(String kind, double x) {
        if (kind.equals("gelu")) {
            return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
        }
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /** erf to ~1e-13: its Maclaurin series below 3, above it 1 − erfc by erfc's continued fraction. */
    static double erf(double x) {
        double a = Math.abs(x);
        if (a < 3) {
            double term = x;
            double sum = x;
            for (int n = 1; n < 80; n++) {
                term *= -x * x / n;
                sum += term / (2 * n + 1);
            }
            return 2 / Math.sqrt(Math.PI) * sum;
        }
        double f = a;
        for (int k = 80; k >= 1; k--) {
            f = a + (k / 2.0) / f;
        }
        return Math.signum(x) * (1 - Math.exp(-a * a) / (Math.sqrt(Math.PI) * f));
    }
}
