package org.slmworkbench.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.io.IoAction;
import org.slmworkbench.io.SafetensorsWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorEntry;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.RandomInit;

/**
 * Random-weight checkpoints of exact real shapes, for measuring speed, memory and size at scale
 * where real weights cannot be downloaded. Tensors are drawn and written one at a time, so a
 * billion-parameter model never sits in Java memory whole.
 */
public final class RandomCheckpoint {
    private RandomCheckpoint() {}

    /** TinyLlama-1.1B's shape (22 layers, hidden 2048, intermediate 5632, 32 heads, 4 key/value heads, vocab 32000). */
    public static LlamaConfig tinyLlama() {
        return new LlamaConfig(2048, 5632, 22, 32, 4, 64, 1e-5, 10000.0, 2048, 32000, false, 1, 2);
    }

    public static void write(Path dir, LlamaConfig config, TensorDType dtype, long seed, IoAction<Path> writeTokenizer) throws IOException {
        RandomInit init = new RandomInit(LlamaModel.tensorShapes(config), config.numHiddenLayers(), seed);
        List<TensorEntry> entries = new ArrayList<>();
        LlamaModel.tensorShapes(config).forEach((name, shape) ->
                entries.add(TensorEntry.floats(name, dtype, shape.getShape(), () -> init.values(name))));
        AtomicFiles.replaceDirectory(dir, staging -> {
            Files.writeString(staging.resolve(ModelDirectory.CONFIG), ModelDirectory.pretty(LlamaConfigJson.toJson(config)));
            writeTokenizer.run(staging.resolve(ModelDirectory.TOKENIZER));
            SafetensorsWriter.write(staging.resolve(ModelDirectory.WEIGHTS), entries, Map.of("format", "pt"));
            Files.writeString(staging.resolve(ModelDirectory.CARD), "# " + dir.getFileName() + "\n\nRandom weights (seed " + seed
                    + ", " + dtype + ") in the shape of config.json, made by SLM Workbench's `init` for measuring speed, memory and"
                    + " size. It has learned nothing.\n");
        });
    }
}
