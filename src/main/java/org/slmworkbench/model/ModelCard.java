package org.slmworkbench.model;

import java.util.List;
import java.util.Locale;

/**
 * What a checkpoint's README.md says about how it was made. Losses are NaN when not measured.
 */
public record ModelCard(
        String name,
        String architecture,
        long parameters,
        String tokenizer,
        List<String> data,
        long trainTokens,
        long heldoutTokens,
        int steps,
        double trainLoss,
        double heldoutLoss,
        String command,
        String notes) {

    public double heldoutPerplexity() {
        return Math.exp(heldoutLoss);
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(name).append("\n\n");
        md.append("A ").append(architecture).append(" model with ")
                .append(String.format(Locale.ROOT, "%,d", parameters)).append(" parameters, trained on CPU by SLM Workbench.\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Architecture", architecture);
        row(md, "Parameters", String.format(Locale.ROOT, "%,d", parameters));
        row(md, "Tokenizer", tokenizer);
        row(md, "Training data", String.join(", ", data));
        row(md, "Training tokens", String.format(Locale.ROOT, "%,d", trainTokens));
        row(md, "Held-out tokens", String.format(Locale.ROOT, "%,d", heldoutTokens));
        row(md, "Steps", Integer.toString(steps));
        row(md, "Final train loss", format(trainLoss));
        row(md, "Final held-out loss", format(heldoutLoss));
        row(md, "Held-out perplexity", format(heldoutPerplexity()));
        md.append("\nMade with:\n\n```\n").append(command).append("\n```\n");
        if (notes != null && !notes.isBlank()) {
            md.append('\n').append(notes.strip()).append('\n');
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "not measured" : String.format(Locale.ROOT, "%.4f", v);
    }
}
