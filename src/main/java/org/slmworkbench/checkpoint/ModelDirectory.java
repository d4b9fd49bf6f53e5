package org.slmworkbench.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slmworkbench.BadInputException;
import org.slmworkbench.compress.CompactWeights;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.io.IoAction;
import org.slmworkbench.io.SafetensorsReader;
import org.slmworkbench.io.SafetensorsWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorEntry;
import org.slmworkbench.io.TensorInfo;
import org.slmworkbench.model.ConfigFile;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.ModelCard;
import org.slmworkbench.tokenizer.TextTokenizer;
import org.slmworkbench.tokenizer.Tokenizers;

/**
 * Checkpoints as Hugging Face directories: config.json, model.safetensors, tokenizer.json,
 * generation_config.json and a README.md model card. A save builds the whole directory beside the
 * target and renames it into place, so a reader never sees half a checkpoint.
 */
public final class ModelDirectory {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String GENERATION = "generation_config.json";
    public static final String CARD = "README.md";
    public static final String PICKLE = "pytorch_model.bin";

    private ModelDirectory() {}

    /**
     * Everything but the weights and tokenizer that a save writes, and how to store the weights:
     * dense ({@code model.safetensors}, loadable anywhere) or compact ({@link CompactWeights}).
     */
    public record Extras(ModelCard card, TrainingState trainingState, boolean compact) {
        public Extras(ModelCard card, TrainingState trainingState) {
            this(card, trainingState, false);
        }
    }

    public static void save(Path dir, LlamaModel model, IoAction<Path> writeTokenizer, Extras extras) throws IOException {
        AtomicFiles.replaceDirectory(dir, staging -> {
            Files.writeString(staging.resolve(CONFIG), pretty(LlamaConfigJson.toJson(model.config())));
            Files.writeString(staging.resolve(GENERATION), pretty(generationConfig(model.config())));
            writeTokenizer.run(staging.resolve(TOKENIZER));
            if (extras.compact()) {
                Map<String, CompactWeights.Tensor> tensors = new LinkedHashMap<>();
                model.parameters().forEach((name, p) -> tensors.put(name,
                        new CompactWeights.Tensor(p.getArray().getShape().getShape(), p.getArray().toFloatArray())));
                CompactWeights.write(staging.resolve(CompactWeights.FILE), tensors, Map.of());
            } else {
                SafetensorsWriter.write(staging.resolve(WEIGHTS), entries(model.parameters()), Map.of("format", "pt"));
            }
            if (extras.card() != null) {
                Files.writeString(staging.resolve(CARD), extras.card().toMarkdown());
            }
            if (extras.trainingState() != null) {
                extras.trainingState().write(staging.resolve(TrainingState.FILE));
            }
        });
    }

    /** Bytes of all files directly in a checkpoint folder. */
    public static long sizeOnDisk(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Copies the tokenizer of an existing checkpoint into a new one. */
    public static IoAction<Path> copyTokenizerFrom(Path sourceDir) {
        return target -> Files.copy(sourceDir.resolve(TOKENIZER), target);
    }

    static List<TensorEntry> entries(Map<String, Parameter> params) {
        List<TensorEntry> list = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray a = e.getValue().getArray();
            list.add(TensorEntry.floats(e.getKey(), TensorDType.F32, a.getShape().getShape(), a::toFloatArray));
        }
        return list;
    }

    public static LoadedModel load(Path dir, NDManager parent) {
        LlamaConfig config = readConfig(dir);
        TextTokenizer tokenizer = Tokenizers.load(dir.resolve(TOKENIZER));
        try {
            if (tokenizer.vocabSize() > config.vocabSize()) {
                throw new BadInputException(dir.resolve(TOKENIZER), "has " + tokenizer.vocabSize()
                        + " tokens but config.json says vocab_size " + config.vocabSize());
            }
            NDManager manager = parent.newSubManager();
            try {
                Map<String, NDArray> weights = Files.isRegularFile(dir.resolve(WEIGHTS))
                        ? readWeights(dir.resolve(WEIGHTS), config, manager)
                        : readCompact(dir.resolve(CompactWeights.FILE), config, manager);
                return new LoadedModel(dir, config, new LlamaModel(config, manager, weights::get), tokenizer);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** Reads and checks config.json, after checking that the directory looks like a checkpoint. */
    public static LlamaConfig readConfig(Path dir) {
        if (!Files.exists(dir)) {
            throw new BadInputException(dir, "model folder not found");
        }
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir, "is a file; a model is a folder with config.json, model.safetensors and tokenizer.json");
        }
        if (!Files.exists(dir.resolve(WEIGHTS)) && Files.exists(dir.resolve(PICKLE))) {
            throw new BadInputException(dir.resolve(PICKLE), "is a PyTorch pickle, which can run arbitrary code when loaded, so it is refused;"
                    + " convert it to model.safetensors first (e.g. with the safetensors library's convert script)");
        }
        for (String f : List.of(CONFIG, TOKENIZER)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new BadInputException(dir, "missing " + f + "; a model folder needs config.json, model.safetensors and tokenizer.json");
            }
        }
        if (!Files.isRegularFile(dir.resolve(WEIGHTS)) && !Files.isRegularFile(dir.resolve(CompactWeights.FILE))) {
            throw new BadInputException(dir, "missing model.safetensors (or " + CompactWeights.FILE + "); a model folder needs config.json,"
                    + " model.safetensors and tokenizer.json");
        }
        return parseConfig(ConfigFile.read(dir.resolve(CONFIG)));
    }

    /** A LlamaConfig from a parsed config.json, with every problem named. */
    public static LlamaConfig parseConfig(ConfigFile file) {
        String arch = file.firstString("architectures");
        if (arch != null && !arch.equals(LlamaConfig.ARCHITECTURE)) {
            throw new BadInputException(file.file(), "architecture " + arch + " is not supported (supported: " + LlamaConfig.ARCHITECTURE + ")");
        }
        return LlamaConfigJson.parse(file);
    }

    private static Map<String, NDArray> readWeights(Path file, LlamaConfig config, NDManager manager) {
        Map<String, Shape> expected = LlamaModel.tensorShapes(config);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (TensorInfo t : reader.tensors()) {
                if (!expected.containsKey(t.name()) && !t.name().endsWith("rotary_emb.inv_freq")) {
                    throw new BadInputException(file, "unexpected tensor '" + t.name() + "' for a " + LlamaConfig.ARCHITECTURE
                            + " with this config.json");
                }
            }
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                TensorInfo info = reader.find(e.getKey()).orElseThrow(() ->
                        new BadInputException(file, "missing tensor '" + e.getKey() + "' that config.json implies"));
                if (!Arrays.equals(info.shape(), e.getValue().getShape())) {
                    throw new BadInputException(file, "tensor '" + e.getKey() + "' has shape " + Arrays.toString(info.shape())
                            + " but config.json implies " + e.getValue() + "; the config and the weights disagree");
                }
                if (!info.dtype().isFloatingPoint()) {
                    throw new BadInputException(file, "tensor '" + e.getKey() + "' has dtype " + info.dtype() + "; expected F32, F16 or BF16");
                }
                weights.put(e.getKey(), manager.create(reader.readFloats(e.getKey()), e.getValue()));
            }
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read: " + e.getMessage());
        }
        return weights;
    }

    private static Map<String, NDArray> readCompact(Path file, LlamaConfig config, NDManager manager) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        LlamaModel.tensorShapes(config).forEach((k, v) -> shapes.put(k, v.getShape()));
        Map<String, NDArray> weights = new LinkedHashMap<>();
        CompactWeights.read(file, shapes).forEach((k, v) -> weights.put(k, manager.create(v, new Shape(shapes.get(k)))));
        return weights;
    }

    private static JsonObject generationConfig(LlamaConfig c) {
        JsonObject o = new JsonObject();
        o.addProperty("bos_token_id", c.bosTokenId());
        o.addProperty("eos_token_id", c.eosTokenId());
        o.addProperty("do_sample", false);
        return o;
    }

    static String pretty(JsonObject o) {
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }
}
