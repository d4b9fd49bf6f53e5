package org.slmworkbench;

/** Plain-Java double kernels for the reference forward passes the model tests compare against. */
public final class ReferenceMath {
    private ReferenceMath() {}

    /**
     * Causal softmax attention.
     *
     * @param q [position][head][dim]
     * @param k [position][kvHead][dim]
     * @param v [position][kvHead][dim]
     * @return [position][head · dim + dim]
     */
    public static double[][] causalAttention(double[][][] q, double[][][] k, double[][][] v, double scale) {
        int n = q.length;
        int heads = q[0].length;
        int hd = q[0][0].length;
        int group = heads / k[0].length;
        double[][] out = new double[n][heads * hd];
        for (int h = 0; h < heads; h++) {
            int g = h / group;
            for (int p = 0; p < n; p++) {
                double[] w = new double[p + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= p; j++) {
                    w[j] = dot(q[p][h], k[j][g]) * scale;
                    max = Math.max(max, w[j]);
                }
                double sum = 0;
                for (int j = 0; j <= p; j++) {
                    w[j] = Math.exp(w[j] - max);
                    sum += w[j];
                }
                for (int d = 0; d < hd; d++) {
                    double o = 0;
                    for (int j = 0; j <= p; j++) {
                        o += w[j] / sum * v[j][g][d];
                    }
                    out[p][h * hd + d] = o;
                }
            }
        }
        return out;
    }

    /** x · Wᵀ (+ b) for W stored (out, in) row-major; b may be null. */
    public static double[][] linear(double[][] x, float[] w, float[] b, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int p = 0; p < x.length; p++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    s += x[p][i] * w[o * in + i];
                }
                y[p][o] = s;
            }
        }
        return y;
    }

    public static void addInPlace(double[][] x, double[][] y) {
        for (int p = 0; p < x.length; p++) {
            for (int i = 0; i < x[p].length; i++) {
                x[p][i] += y[p][i];
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Largest |expected - actual| over logits [position][token] against a flat (1, T, V) float array. */
    public static double maxAbsDiff(double[][] expected, float[] actual) {
        int v = expected[0].length;
        double d = 0;
        for (int p = 0; p < expected.length; p++) {
            for (int i = 0; i < v; i++) {
                d = Math.max(d, Math.abs(actual[p * v + i] - expected[p][i]));
            }
        }
        return d;
    }
}
