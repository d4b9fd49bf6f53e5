package org.slmworkbench.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One compression setting, applied in the order prune → share → quantize → exit to a copy of a
 * model. Its compact form reads {@code prune=0.5:wanda,share=16,quant=int4,exit=4} (parts left out
 * are off; {@code exit=4@0.9} keeps 4 layers and, while generating, lets a token leave at the first
 * layer whose top-1 probability reaches 0.9).
 *
 * @param pruneRatio fraction of weights (or heads and neurons, for structured) removed, 0..0.95
 * @param clusters weight-sharing clusters per tensor, 2..256, or 0 for off
 * @param quantization bits per matrix weight after pruning and sharing
 * @param exitLayer last layer run, 1..L, or 0 for all layers
 * @param exitThreshold top-1 probability at which a token may leave early, or 0 for a static exit
 */
public record CompressionConfig(double pruneRatio, PruneMethod pruneMethod, int clusters, Quantization quantization, int exitLayer,
        double exitThreshold) {
    public static final double MAX_PRUNE = 0.95;
    public static final CompressionConfig NONE = new CompressionConfig(0, PruneMethod.MAGNITUDE, 0, Quantization.OFF, 0, 0);

    public CompressionConfig {
        if (quantization == null) {
            throw new IllegalArgumentException("quantization must be given (OFF for none)");
        }
        if (!(pruneRatio >= 0 && pruneRatio <= MAX_PRUNE)) {
            throw new IllegalArgumentException("pruning ratio must be in 0.." + MAX_PRUNE + ", got " + pruneRatio);
        }
        if (clusters != 0 && (clusters < 2 || clusters > 256)) {
            throw new IllegalArgumentException("clusters must be 0 (off) or 2..256, got " + clusters);
        }
        if (exitLayer < 0) {
            throw new IllegalArgumentException("exit layer must be >= 1 (or 0 for off), got " + exitLayer);
        }
        if (!(exitThreshold >= 0 && exitThreshold < 1)) {
            throw new IllegalArgumentException("exit threshold must be in [0, 1), got " + exitThreshold);
        }
        if (exitThreshold > 0 && exitLayer == 0) {
            throw new IllegalArgumentException("an exit threshold needs an exit layer");
        }
    }

    /** True when applying this setting would leave the model as it is. */
    public boolean isNone() {
        return !prunes() && !shares() && !quantizes() && exitLayer == 0;
    }

    public boolean quantizes() {
        return quantization != Quantization.OFF;
    }

    /** The same setting with a static exit: what training and an adapter's base see (the threshold only acts while generating). */
    public CompressionConfig withoutExitThreshold() {
        return new CompressionConfig(pruneRatio, pruneMethod, clusters, quantization, exitLayer, 0);
    }

    /** The same setting with quantization {@code q} instead. */
    public CompressionConfig withQuantization(Quantization q) {
        return new CompressionConfig(pruneRatio, pruneMethod, clusters, q, exitLayer, exitThreshold);
    }

    public boolean prunes() {
        return pruneRatio > 0;
    }

    public boolean shares() {
        return clusters > 0;
    }

    /** True when pruning zeroes single weights inside tensors of unchanged shape (every method but structured). */
    public boolean prunesUnstructured() {
        return prunes() && pruneMethod != PruneMethod.STRUCTURED;
    }

    /**
     * True when the savings are zeros or repeated values inside dense tensors, or quantized blocks
     * (a Hugging Face file holds floats), which only the compact format stores smaller.
     */
    public boolean savesOnlyWhenCompact() {
        return prunesUnstructured() || shares() || quantizes();
    }

    /** The last layer to run for a model of {@code layers} layers, refusing an exit past the end. */
    public int effectiveExitLayer(int layers) {
        if (exitLayer > layers) {
            throw new IllegalArgumentException("exit layer " + exitLayer + " is beyond the model's " + layers + " layers");
        }
        return exitLayer == 0 ? layers : exitLayer;
    }

    /** Bits per stored weight index when sharing: ceil(log2 k). */
    public int bitsPerWeight() {
        return clusters == 0 ? 32 : Math.max(1, 32 - Integer.numberOfLeadingZeros(clusters - 1));
    }

    public String toCompactString() {
        List<String> parts = new ArrayList<>();
        if (prunes()) {
            parts.add(String.format(Locale.ROOT, "prune=%s:%s", trim(pruneRatio), pruneMethod.id()));
        }
        if (shares()) {
            parts.add("share=" + clusters);
        }
        if (quantizes()) {
            parts.add("quant=" + quantization.id());
        }
        if (exitLayer > 0) {
            parts.add("exit=" + exitLayer + (exitThreshold > 0 ? "@" + trim(exitThreshold) : ""));
        }
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }

    public static CompressionConfig parse(String compact) {
        String s = compact.trim();
        if (s.isEmpty() || s.equals("none")) {
            return NONE;
        }
        double ratio = 0;
        PruneMethod method = PruneMethod.MAGNITUDE;
        int clusters = 0;
        Quantization quantization = Quantization.OFF;
        int exit = 0;
        double threshold = 0;
        for (String part : s.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("'" + part + "' in '" + compact + "' is not key=value");
            }
            try {
                switch (kv[0].trim()) {
                    case "prune" -> {
                        String[] rm = kv[1].split(":", 2);
                        ratio = Double.parseDouble(rm[0]);
                        method = rm.length > 1 ? PruneMethod.parse(rm[1]) : PruneMethod.MAGNITUDE;
                    }
                    case "share" -> clusters = Integer.parseInt(kv[1].trim());
                    case "quant" -> quantization = Quantization.parse(kv[1]);
                    case "exit" -> {
                        String[] lt = kv[1].split("@", 2);
                        exit = Integer.parseInt(lt[0].trim());
                        threshold = lt.length > 1 ? Double.parseDouble(lt[1]) : 0;
                    }
                    default -> throw new IllegalArgumentException("unknown part '" + kv[0] + "' in '" + compact
                            + "'; expected prune, share, quant or exit");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part + "' in '" + compact + "' has a malformed number");
            }
        }
        return new CompressionConfig(ratio, method, clusters, quantization, exit, threshold);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
