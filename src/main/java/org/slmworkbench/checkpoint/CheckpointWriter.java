package org.slmworkbench.checkpoint;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.io.IoAction;
import org.slmworkbench.io.SafetensorsFolderWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorEntry;

/**
 * Writes a checkpoint folder of any architecture from a {@link CheckpointShape} and a source of
 * values in file layout: config.json (its torch_dtype set to the stored dtype),
 * generation_config.json, tokenizer.json, the weights (sharded above {@code maxShardBytes}) and a
 * README.md. Values are asked for one tensor at a time, and the folder appears atomically.
 */
public final class CheckpointWriter {
    private CheckpointWriter() {}

    public static void write(Path dir, CheckpointShape shape, TensorDType dtype, Function<String, float[]> values,
            IoAction<Path> writeTokenizer, String readme, long maxShardBytes) throws IOException {
        List<TensorEntry> entries = new ArrayList<>();
        shape.tensors().forEach((name, s) -> entries.add(TensorEntry.floats(name, dtype, s.getShape(), () -> values.apply(name))));
        JsonObject config = shape.configJson().deepCopy();
        config.addProperty("torch_dtype", torchDtype(dtype));
        AtomicFiles.replaceDirectory(dir, staging -> {
            Files.writeString(staging.resolve(ModelDirectory.CONFIG), ModelDirectory.pretty(config));
            Files.writeString(staging.resolve(ModelDirectory.GENERATION),
                    ModelDirectory.pretty(ModelDirectory.generationConfig(shape.bosTokenId(), shape.eosTokenId())));
            writeTokenizer.run(staging.resolve(ModelDirectory.TOKENIZER));
            SafetensorsFolderWriter.write(staging, entries, Map.of("format", "pt"), maxShardBytes);
            Files.writeString(staging.resolve(ModelDirectory.CARD), readme);
        });
    }

    private static String torchDtype(TensorDType dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> throw new IllegalArgumentException("weights are stored as F32, F16 or BF16, not " + dtype);
        };
    }
}
