package org.slmworkbench.bench;

/**
 * How surprising each token of one line was, as the model read it: its text, negative
 * log-likelihood, excess surprise (NLL minus the entropy of the prediction: high where the model
 * was confident and wrong) and the model's top-1 guess there. Tokens without a prediction (the
 * first of a stream, the newline that opens a masked line) are left out.
 */
public record TokenSurprise(String[] pieces, float[] nll, float[] excess, String[] expected) {
    /** The token that drove the line's score: the largest excess surprise; -1 for a line of no tokens. */
    public int worst() {
        int worst = -1;
        for (int i = 0; i < excess.length; i++) {
            if (worst < 0 || excess[i] > excess[worst]) {
                worst = i;
            }
        }
        return worst;
    }

    public double meanNll() {
        double sum = 0;
        for (float v : nll) {
            sum += v;
        }
        return nll.length == 0 ? 0 : sum / nll.length;
    }

    public double maxNll() {
        double max = 0;
        for (float v : nll) {
            max = Math.max(max, v);
        }
        return max;
    }

    public double maxExcess() {
        int w = worst();
        return w < 0 ? 0 : Math.max(0, excess[w]);
    }

    /** "expected `corrected`, saw `failed`", with whitespace made visible. */
    public String explanation() {
        int w = worst();
        return w < 0 ? "" : "expected `" + visible(expected[w]) + "`, saw `" + visible(pieces[w]) + "`";
    }

    private static String visible(String piece) {
        return piece.replace("\n", "\\n").replace("\t", "\\t");
    }
}
