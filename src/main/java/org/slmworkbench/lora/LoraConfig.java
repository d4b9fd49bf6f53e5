package org.slmworkbench.lora;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slmworkbench.BadInputException;

/**
 * A LoRA setting: rank r, alpha (the update is scaled by alpha / r), the dropout on the adapters'
 * inputs while training (PEFT's {@code lora_dropout}) and the modules adapted, by their Hugging Face
 * names as PEFT's {@code target_modules} lists them ({@code q_proj}, {@code down_proj}, {@code
 * c_attn} ...). No targets means every linear layer of the blocks, PEFT's "all-linear" (the
 * embedding and the head stay as they are).
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targets) {
    public static final int MAX_RANK = 1024;
    private static final Map<String, String> SHORT_NAMES = Map.of("q", "q_proj", "k", "k_proj", "v", "v_proj", "o", "o_proj",
            "gate", "gate_proj", "up", "up_proj", "down", "down_proj");
    /** A matrix inside a block: {@code model.layers.3.…} (Llama) or {@code transformer.h.3.…} (GPT-2, GPTBigCode). */
    private static final Pattern BLOCK_MATRIX = Pattern.compile(".*\\.(layers|h)\\.\\d+\\..*\\.weight");

    public LoraConfig {
        if (rank < 1 || rank > MAX_RANK) {
            throw new BadInputException("LoRA rank must be in 1.." + MAX_RANK + ", got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new BadInputException("LoRA alpha must be a positive number, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new BadInputException("LoRA dropout must be at least 0 and below 1, got " + dropout);
        }
        targets = List.copyOf(targets);
    }

    /**
     * A setting from the command line's or the window's values, without dropout ({@link #withDropout} adds it).
     *
     * @param alpha null for 2·r (LLM-Pruner's recovery setting: r 8, alpha 16)
     * @param targets comma-separated module names, short ones ({@code q,k,v,o,gate,up,down}) allowed; null or "all" for all
     */
    public static LoraConfig of(int rank, Double alpha, String targets) {
        List<String> names = new ArrayList<>();
        if (targets != null && !targets.isBlank() && !targets.trim().equalsIgnoreCase("all")) {
            for (String t : targets.split(",")) {
                String name = t.trim().toLowerCase(Locale.ROOT);
                if (!name.matches("[a-z0-9_]+")) {
                    throw new BadInputException("LoRA target '" + t.trim() + "' is not a module name (q,k,v,o,gate,up,down or a"
                            + " Hugging Face name such as q_proj or c_attn)");
                }
                names.add(SHORT_NAMES.getOrDefault(name, name));
            }
        }
        return new LoraConfig(rank, alpha == null ? 2.0 * rank : alpha, 0, names);
    }

    public LoraConfig withDropout(double p) {
        return new LoraConfig(rank, alpha, p, targets);
    }

    /** Whether the weight of this Hugging Face name gets an adapter. */
    public boolean adapts(String weightName, int dimensions) {
        return dimensions == 2 && BLOCK_MATRIX.matcher(weightName).matches() && (targets.isEmpty() || targets.contains(module(weightName)));
    }

    /** The module a weight belongs to, by its last name: {@code model.layers.0.self_attn.q_proj.weight} → {@code q_proj}. */
    static String module(String weightName) {
        String path = weightName.substring(0, weightName.length() - ".weight".length());
        return path.substring(path.lastIndexOf('.') + 1);
    }

    public double scale() {
        return alpha / rank;
    }

    /** For logs, cards and a run's description (which resume checks): "r=16, alpha=32, dropout=0.05, all linear layers". */
    public String describe() {
        return String.format(Locale.ROOT, "r=%d, alpha=%s, %s%s", rank, number(alpha), dropout > 0 ? "dropout=" + dropout + ", " : "",
                targets.isEmpty() ? "all linear layers" : String.join(",", targets));
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
