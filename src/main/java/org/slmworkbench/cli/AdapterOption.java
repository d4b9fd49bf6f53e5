package org.slmworkbench.cli;

import java.nio.file.Path;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.lora.AdapterFolder;
import org.slmworkbench.lora.PeftAdapter;
import org.slmworkbench.model.CausalLm;
import picocli.CommandLine.Option;

/** {@code --adapter DIR}: a LoRA adapter folder merged into the model as loaded and compressed ({@link AdapterFolder}). */
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
        PeftAdapter.Saved saved = AdapterFolder.read(dir);
        AdapterFolder.requireTrainedOn(saved, compression);
        return AdapterFolder.mergeInto(model, saved);
    }
}
