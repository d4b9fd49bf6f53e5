package org.slmworkbench.checkpoint;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slmworkbench.model.ConfigFile;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.ModelConfig;
import org.slmworkbench.model.gpt2.GptConfig;
import org.slmworkbench.model.gpt2.GptTensors;

/**
 * What a checkpoint of some architecture is made of, independent of its values: its config.json
 * and every tensor with the shape the file stores it in, in file order.
 */
public record CheckpointShape(String architecture, JsonObject configJson, Map<String, Shape> tensors, int layers,
        long parameterCount, int vocabSize, int bosTokenId, int eosTokenId) {

    /** Names {@link #like} knows. */
    public static final List<String> KNOWN = List.of("tinyllama", "gpt2", "tiny_starcoder");

    public static CheckpointShape of(LlamaConfig c) {
        return new CheckpointShape(LlamaConfig.ARCHITECTURE, LlamaConfigJson.toJson(c), LlamaModel.tensorShapes(c), c.numHiddenLayers(),
                c.parameterCount(), c.vocabSize(), c.bosTokenId(), c.eosTokenId());
    }

    public static CheckpointShape of(GptConfig c) {
        return new CheckpointShape(c.architecture(), GptConfigJson.toJson(c), GptTensors.fileShapes(c), c.nLayer(), c.parameterCount(),
                c.vocabSize(), c.bosTokenId(), c.eosTokenId());
    }

    /** The shape of a model of either family. */
    public static CheckpointShape of(ModelConfig c) {
        if (c instanceof LlamaConfig l) {
            return of(l);
        }
        if (c instanceof GptConfig g) {
            return of(g);
        }
        throw new IllegalArgumentException("no checkpoint layout for " + c.architecture());
    }

    /** The shape a config.json of any supported architecture describes; BadInputException if it is unusable. */
    public static CheckpointShape read(ConfigFile f) {
        Architecture a = Architecture.of(f);
        return a == Architecture.LLAMA ? of(ModelDirectory.parseConfig(f)) : of(GptConfigJson.parse(f, a.gptFamily()));
    }

    /** The shape of a well-known model: {@code tinyllama}, {@code gpt2} (124M) or {@code tiny_starcoder} (164M). */
    public static CheckpointShape like(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tinyllama" -> of(RandomCheckpoint.tinyLlama());
            case "gpt2" -> of(RandomCheckpoint.gpt2());
            case "tiny_starcoder" -> of(RandomCheckpoint.tinyStarcoderPy());
            default -> throw new IllegalArgumentException("unknown --like " + name + "; known: " + String.join(", ", KNOWN));
        };
    }
}
