package org.slmworkbench.lora;

import java.nio.file.Path;
import org.slmworkbench.BadInputException;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.model.CausalLm;

/**
 * A PEFT adapter folder opened over its base, for the command line's {@code --adapter} and the
 * window alike: read and checked, then merged into the model as loaded and compressed the way the
 * adapter was trained, which gives the weights {@code finetune --lora} saved merged (the same sum,
 * rounded the same way).
 */
public final class AdapterFolder {
    private AdapterFolder() {}

    /** Reads {@code dir}, checking that the compression setting it records is one. */
    public static PeftAdapter.Saved read(Path dir) {
        PeftAdapter.Saved saved = PeftAdapter.read(dir);
        trainedOn(saved);
        return saved;
    }

    /** The setting the adapter's base was compressed with before training ({@link CompressionConfig#NONE} for none). */
    public static CompressionConfig trainedOn(PeftAdapter.Saved saved) {
        if (saved.compression().isEmpty()) {
            return CompressionConfig.NONE;
        }
        try {
            return CompressionConfig.parse(saved.compression());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(saved.directory().resolve(PeftAdapter.CONFIG), "records the compression setting '"
                    + saved.compression() + "', which is not one: " + e.getMessage());
        }
    }

    /** Refuses a model compressed otherwise than the adapter's base was: its factors would be added to other weights. */
    public static void requireTrainedOn(PeftAdapter.Saved saved, CompressionConfig given) {
        String compact = given.isNone() ? "" : given.toCompactString();
        if (!saved.compression().equals(compact)) {
            throw new BadInputException(saved.directory().resolve(PeftAdapter.CONFIG), "was trained on the base "
                    + described(saved.compression()) + ", not " + (compact.isEmpty() ? "uncompressed" : compact) + "; give "
                    + (saved.compression().isEmpty() ? "no compression flags" : "--compression " + saved.compression())
                    + " (in the window: that setting)");
        }
    }

    /**
     * Merges the adapter into {@code model}, the base compressed as {@link #trainedOn} says; a pruned
     * base keeps its zeros, as the merge after training did. Wrong shapes are refused before any weight changes.
     */
    public static CausalLm mergeInto(CausalLm model, PeftAdapter.Saved saved) {
        try (LoraModel lora = PeftAdapter.apply(saved, model)) {
            lora.mergeIntoBase(trainedOn(saved).prunes());
        }
        return model;
    }

    /** For the window's model line: "LoRA r=16, alpha=32, all linear layers, trained on the base compressed as prune=0.5:magnitude". */
    public static String describe(PeftAdapter.Saved saved) {
        return "LoRA " + saved.config().describe() + ", trained on the base " + described(saved.compression());
    }

    private static String described(String compression) {
        return compression.isEmpty() ? "uncompressed" : "compressed as " + compression;
    }
}
