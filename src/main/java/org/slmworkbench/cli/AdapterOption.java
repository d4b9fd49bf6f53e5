package org.slmworkbench.cli;

import java.nio.file.Path;
import org.slmworkbench.BadInputException;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.lora.LoraModel;
import org.slmworkbench.lora.PeftAdapter;
import org.slmworkbench.model.CausalLm;
import picocli.CommandLine.Option;

/**
 * {@code --adapter DIR}: a LoRA adapter folder merged into the model as loaded and compressed,
 * which gives the weights {@code finetune --lora} saved merged (the same sum, rounded the same way).
 */
final class AdapterOption {
    @Option(names = "--adapter", paramLabel = "DIR", description = "a LoRA adapter folder in PEFT's layout (adapter_config.json and"
            + " adapter_model.safetensors, as finetune --lora writes beside its model), merged into the model after any compression;"
            + " an adapter trained on a compressed base needs the same compression flags")
    Path dir;

    /** {@code model} with the adapter merged into its weights, or untouched without {@code --adapter}. */
    CausalLm mergeInto(CausalLm model, CompressionConfig compression) {
        if (dir == null) {
            return model;
        }
        PeftAdapter.Saved saved = PeftAdapter.read(dir);
        String given = compression.isNone() ? "" : compression.toCompactString();
        if (!saved.compression().equals(given)) {
            throw new BadInputException(dir.resolve(PeftAdapter.CONFIG), "was trained on the base "
                    + (saved.compression().isEmpty() ? "uncompressed" : "compressed as " + saved.compression()) + ", not "
                    + (given.isEmpty() ? "uncompressed" : given) + "; give " + (saved.compression().isEmpty() ? "no compression flags"
                    : "--compression " + saved.compression()));
        }
        try (LoraModel lora = PeftAdapter.apply(saved, model)) {
            // a pruned base keeps its zeros, as the merge after training did
            lora.mergeIntoBase(compression.prunes());
        }
        return model;
    }
}
