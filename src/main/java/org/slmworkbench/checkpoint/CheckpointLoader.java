package org.slmworkbench.checkpoint;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slmworkbench.BadInputException;
import org.slmworkbench.compress.CompactWeights;
import org.slmworkbench.io.SafetensorsFolder;
import org.slmworkbench.model.ConfigFile;
import org.slmworkbench.model.MatVec;
import org.slmworkbench.model.WeightPolicy;
import org.slmworkbench.model.gpt2.GptConfig;

/**
 * The one way to open a checkpoint folder of any supported architecture: config.json says which,
 * Llama goes through {@link ModelDirectory#load} unchanged, GPT-2 and GPTBigCode through
 * {@link GptCheckpoint} (or, for a compact folder, the compact weights in the model's layout).
 */
public final class CheckpointLoader {
    private CheckpointLoader() {}

    /** Opens a folder with every matrix at its stored precision ({@link WeightPolicy#STORED}). */
    public static LoadedLm load(Path dir, NDManager parent) {
        return load(dir, parent, WeightPolicy.STORED);
    }

    /** Opens a folder with its matrices held as {@code policy} says: as stored, or f32 (which training needs). */
    public static LoadedLm load(Path dir, NDManager parent, WeightPolicy policy) {
        MatVec.warmUp(); // compiles the decode kernel while the weights load
        ModelDirectory.checkFolder(dir);
        ConfigFile file = ConfigFile.read(dir.resolve(ModelDirectory.CONFIG));
        Architecture architecture = Architecture.of(file);
        if (architecture == Architecture.LLAMA) {
            LoadedModel m = ModelDirectory.load(dir, ModelDirectory.parseConfig(file), parent, policy);
            return new LoadedLm(dir, m.model(), m.tokenizer(), m.eosId());
        }
        GptConfig config = GptConfigJson.parse(file, architecture.gptFamily());
        int eosId = eosId(dir, config.eosTokenId());
        return ModelDirectory.withTokenizer(dir, config.vocabSize(), parent,
                (tokenizer, manager) -> new LoadedLm(dir, SafetensorsFolder.existsIn(dir) ? GptCheckpoint.load(dir, config, manager, policy)
                        : config.newModel(manager, ModelDirectory.readCompact(dir.resolve(CompactWeights.FILE), config, manager, policy)::get),
                        tokenizer, eosId));
    }

    /** generation_config.json's {@code eos_token_id} (the first, when it lists several), else config.json's. */
    static int eosId(Path dir, int configEos) {
        Path generation = dir.resolve(ModelDirectory.GENERATION);
        if (!Files.isRegularFile(generation)) {
            return configEos;
        }
        ConfigFile g = ConfigFile.read(generation);
        if (!g.has("eos_token_id")) {
            return configEos;
        }
        JsonElement e = g.json().get("eos_token_id");
        JsonElement first = e.isJsonArray() && !e.getAsJsonArray().isEmpty() ? e.getAsJsonArray().get(0) : e;
        try {
            return first.getAsInt();
        } catch (RuntimeException ex) {
            throw new BadInputException(generation, "\"eos_token_id\" should be a token id or a list of them, got " + e);
        }
    }
}
