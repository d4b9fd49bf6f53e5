package org.slmworkbench.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import java.util.function.BiFunction;
import org.slmworkbench.BadInputException;
import org.slmworkbench.compress.CompactWeights;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.io.IoAction;
import org.slmworkbench.io.SafetensorsFolder;
import org.slmworkbench.io.SafetensorsWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorEntry;
import org.slmworkbench.io.TensorInfo;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.ConfigFile;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.ModelCard;
import org.slmworkbench.model.ModelConfig;
import org.slmworkbench.model.Precision;
import org.slmworkbench.model.Weight;
import org.slmworkbench.model.WeightPolicy;
import org.slmworkbench.tokenizer.CappedTokenizer;
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

    /** The metadata transformers writes into a PyTorch model's safetensors file. */
    private static final Map<String, String> DENSE_METADATA = Map.of("format", "pt");

    private ModelDirectory() {}

    /**
     * Everything but the weights and tokenizer that a save writes, and how to store the weights:
     * dense ({@code model.safetensors}, loadable anywhere) or compact ({@link CompactWeights});
     * {@code alsoWrite}, if set, adds files to the folder being written (a LoRA adapter's subfolder).
     */
    public record Extras(ModelCard card, TrainingState trainingState, boolean compact, IoAction<Path> alsoWrite) {
        public Extras(ModelCard card, TrainingState trainingState, boolean compact) {
            this(card, trainingState, compact, null);
        }

        public Extras(ModelCard card, TrainingState trainingState) {
            this(card, trainingState, false);
        }
    }

    /** Saves a model of any family: dense in its architecture's own Hugging Face layout, or compact in the model's layout. */
    public static void save(Path dir, CausalLm model, IoAction<Path> writeTokenizer, Extras extras) throws IOException {
        save(dir, model, writeTokenizer, extras, f -> { });
    }

    /**
     * The same, telling {@code progress} the fraction of the weights' bytes taken so far before each
     * tensor is encoded and written; it may throw (a cancel) and then nothing is left behind.
     */
    public static void save(Path dir, CausalLm model, IoAction<Path> writeTokenizer, Extras extras, DoubleConsumer progress)
            throws IOException {
        CheckpointShape shape = CheckpointShape.of(model.config());
        Progress done = new Progress(model, progress);
        AtomicFiles.replaceDirectory(dir, staging -> {
            Files.writeString(staging.resolve(CONFIG), pretty(shape.configJson()));
            Files.writeString(staging.resolve(GENERATION), pretty(generationConfig(shape.bosTokenId(), shape.eosTokenId())));
            writeTokenizer.run(staging.resolve(TOKENIZER));
            if (extras.compact()) {
                CompactWeights.write(staging.resolve(CompactWeights.FILE), compactTensors(model, done), Map.of());
            } else {
                SafetensorsWriter.write(staging.resolve(WEIGHTS), entries(model, shape, done), DENSE_METADATA);
            }
            if (extras.card() != null) {
                Files.writeString(staging.resolve(CARD), extras.card().toMarkdown());
            }
            if (extras.trainingState() != null) {
                extras.trainingState().write(staging.resolve(TrainingState.FILE));
            }
            if (extras.alsoWrite() != null) {
                extras.alsoWrite().run(staging);
            }
        });
    }

    /** Bytes of the weights taken by a save so far, as a fraction of the model's, told before each tensor. */
    private static final class Progress {
        static final Progress NONE = new Progress(null, f -> { });
        private final DoubleConsumer listener;
        private final double total;
        private long taken;

        Progress(CausalLm model, DoubleConsumer listener) {
            this.listener = listener;
            this.total = model == null ? 1 : Math.max(1, model.weightBytes());
        }

        Weight taking(Weight w) {
            listener.accept(Math.min(1, taken / total));
            taken += w.bytes();
            return w;
        }
    }

    /** The dtype a folder stores its weights in (that of its largest tensor, shards included), or "compact". */
    public static String storedDtype(Path dir) throws IOException {
        if (!SafetensorsFolder.existsIn(dir)) {
            return "compact";
        }
        try (SafetensorsFolder folder = SafetensorsFolder.open(dir)) {
            return folder.tensors().stream().max(java.util.Comparator.comparingLong(TensorInfo::elementCount))
                    .map(t -> t.dtype().name().toLowerCase(java.util.Locale.ROOT)).orElse("none");
        }
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

    /** The exact size of {@code model}'s dense weights file, from shapes and dtypes: nothing is written. */
    public static long denseFileSize(CausalLm model) {
        return SafetensorsWriter.fileSize(entries(model, CheckpointShape.of(model.config()), Progress.NONE), DENSE_METADATA);
    }

    /** The exact size of {@code model}'s compact weights file, encoded tensor by tensor into a counting sink: nothing is written. */
    public static long compactFileSize(CausalLm model) {
        return compactFileSize(model, new CompactWeights.SizeCache());
    }

    /** The same, counting each weight once across calls that share {@code cache} (a copy's untouched tensors are its base's). */
    public static long compactFileSize(CausalLm model, CompactWeights.SizeCache cache) {
        return CompactWeights.fileSize(compactTensors(model, Progress.NONE), cache);
    }

    /**
     * Every tensor of {@code model} as its checkpoint stores it (GPT-2's Conv1D weights transposed,
     * for one), each at the precision the model holds it in: a bf16 model saves as bf16. Tensors the
     * file keeps in the model's layout are copied from native memory as they are.
     */
    private static List<TensorEntry> entries(CausalLm model, CheckpointShape shape, Progress done) {
        List<TensorEntry> list = new ArrayList<>();
        Map<String, Weight> weights = model.weights();
        shape.tensors().forEach((name, fileShape) -> {
            Weight w = weights.get(name);
            TensorDType dtype = switch (w.precision()) {
                case F32 -> TensorDType.F32;
                case F16 -> TensorDType.F16;
                case BF16 -> TensorDType.BF16;
                // safetensors has no block types: a quantized tensor goes out as its exact f32 values
                case Q8_0, Q4_0 -> TensorDType.F32;
            };
            list.add(model.config().keepsFileLayout(name) && !w.precision().isBlocks()
                    ? TensorEntry.bytes(name, dtype, fileShape.getShape(), () -> done.taking(w).memory().order(ByteOrder.LITTLE_ENDIAN))
                    : TensorEntry.floats(name, dtype, fileShape.getShape(), () -> model.config().toFile(name, done.taking(w).floats())));
        });
        return list;
    }

    /** Every tensor of {@code model} for the compact file, its values widened when the writer asks for them. */
    private static Map<String, CompactWeights.Tensor> compactTensors(CausalLm model, Progress done) {
        Map<String, CompactWeights.Tensor> tensors = new LinkedHashMap<>();
        model.weights().forEach((name, w) -> tensors.put(name, new CompactWeights.Tensor(w.shape().getShape(), w.precision(),
                () -> done.taking(w).floats(), w)));
        return tensors;
    }

    public static LoadedModel load(Path dir, NDManager parent) {
        return load(dir, readConfig(dir), parent, WeightPolicy.STORED);
    }

    /** As {@link #load(Path, NDManager)}, for a folder already checked whose config.json is already read. */
    static LoadedModel load(Path dir, LlamaConfig config, NDManager parent, WeightPolicy policy) {
        return withTokenizer(dir, config.vocabSize(), parent, (tokenizer, manager) -> {
            Map<String, Weight> weights = SafetensorsFolder.existsIn(dir)
                    ? readWeights(dir, config, manager, policy)
                    : readCompact(dir.resolve(CompactWeights.FILE), config, manager, policy);
            return new LoadedModel(dir, config, new LlamaModel(config, manager, weights::get), tokenizer);
        });
    }

    /**
     * Loads the folder's tokenizer, checks it fits the model's vocabulary, and builds the model in
     * a new sub-manager of {@code parent}; on failure the tokenizer and the manager are closed.
     */
    static <T> T withTokenizer(Path dir, int vocabSize, NDManager parent, BiFunction<TextTokenizer, NDManager, T> build) {
        TextTokenizer loaded = Tokenizers.load(dir.resolve(TOKENIZER));
        TextTokenizer tokenizer = loaded;
        try {
            if (loaded.vocabSize() > vocabSize) {
                // as transformers does: load it, and refuse only an id the model cannot embed when one occurs
                System.err.println("note: " + dir.resolve(TOKENIZER) + " has " + loaded.vocabSize() + " tokens but config.json says vocab_size "
                        + vocabSize + "; a text that needs a token past the vocabulary will be refused");
                tokenizer = new CappedTokenizer(loaded, vocabSize, dir.resolve(TOKENIZER));
            }
            NDManager manager = parent.newSubManager();
            try {
                return build.apply(tokenizer, manager);
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
        checkFolder(dir);
        return parseConfig(ConfigFile.read(dir.resolve(CONFIG)));
    }

    /**
     * Checks that {@code dir} is a checkpoint folder of any architecture: config.json,
     * tokenizer.json and weights (model.safetensors, a shard index, or compact weights), and
     * refuses a folder whose only weights are a pickle.
     */
    static void checkFolder(Path dir) {
        if (!Files.exists(dir)) {
            throw new BadInputException(dir, "model folder not found");
        }
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir, "is a file; a model is a folder with config.json, model.safetensors and tokenizer.json");
        }
        boolean weights = SafetensorsFolder.existsIn(dir) || Files.isRegularFile(dir.resolve(CompactWeights.FILE));
        if (!weights && Files.exists(dir.resolve(PICKLE))) {
            throw new BadInputException(dir.resolve(PICKLE), "is a PyTorch pickle, which can run arbitrary code when loaded, so it is refused;"
                    + " convert it to model.safetensors first (e.g. with the safetensors library's convert script)");
        }
        for (String f : List.of(CONFIG, TOKENIZER)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new BadInputException(dir, "missing " + f + "; a model folder needs config.json, model.safetensors and tokenizer.json");
            }
        }
        if (!weights) {
            throw new BadInputException(dir, "missing model.safetensors (or " + SafetensorsFolder.INDEX + " with its shards, or "
                    + CompactWeights.FILE + "); a model folder needs config.json, model.safetensors and tokenizer.json");
        }
    }

    /** A LlamaConfig from a parsed config.json, with every problem named. */
    public static LlamaConfig parseConfig(ConfigFile file) {
        Architecture a = Architecture.of(file);
        if (a != Architecture.LLAMA) {
            throw new BadInputException(file.file(), "describes a " + a.hfName() + ", not a " + LlamaConfig.ARCHITECTURE);
        }
        return LlamaConfigJson.parse(file);
    }

    private static Map<String, Weight> readWeights(Path dir, LlamaConfig config, NDManager manager, WeightPolicy policy) {
        Map<String, Shape> expected = LlamaModel.tensorShapes(config);
        Map<String, Weight> weights = new LinkedHashMap<>();
        try (SafetensorsFolder folder = SafetensorsFolder.open(dir)) {
            for (TensorInfo t : folder.tensors()) {
                if (!expected.containsKey(t.name()) && !t.name().endsWith("rotary_emb.inv_freq")) {
                    throw new BadInputException(folder.fileOf(t.name()), "unexpected tensor '" + t.name() + "' for a "
                            + LlamaConfig.ARCHITECTURE + " with this config.json");
                }
            }
            expected.forEach((name, shape) -> weights.put(name, readNative(folder, dir, name, shape, manager, policy)));
        } catch (IOException e) {
            throw new BadInputException(dir, "weights cannot be read: " + e.getMessage());
        }
        return weights;
    }

    /** The values of tensor {@code name} after checking it exists with the shape config.json implies and a float dtype. */
    static float[] readChecked(SafetensorsFolder folder, Path dir, String name, Shape shape) {
        Path file = check(folder, dir, name, shape);
        try {
            return folder.readFloats(name);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * As {@link #readChecked}, but read straight into native memory, at the precision {@code policy}
     * gives the file's dtype: the weights never pass through the Java heap, which at 1B parameters
     * otherwise stays touched, a few hundred MB of resident memory for nothing.
     */
    static Weight readNative(SafetensorsFolder folder, Path dir, String name, Shape shape, NDManager manager, WeightPolicy policy) {
        Path file = check(folder, dir, name, shape);
        Precision held = heldPrecision(folder, name, shape, policy);
        if (held.bytes(shape.size()) > Integer.MAX_VALUE) {
            throw new BadInputException(file, "tensor '" + name + "' has " + shape.size() + " elements, more than one buffer can hold");
        }
        return Weight.allocate(manager, shape, held, buffer -> {
            try {
                if (held.needsWidening()) { // a file holds f32, f16 or bf16
                    folder.readHalves(name, buffer.asShortBuffer());
                } else {
                    folder.readFloats(name, buffer.asFloatBuffer());
                }
            } catch (IOException e) {
                throw new BadInputException(file, "cannot be read: " + e.getMessage());
            }
        });
    }

    /** The precision tensor {@code name} (of the model's {@code shape}) is held at under {@code policy}. */
    static Precision heldPrecision(SafetensorsFolder folder, String name, Shape shape, WeightPolicy policy) {
        return policy.inMemory(storedPrecision(folder.find(name).orElseThrow().dtype()), shape.dimension());
    }

    /** The in-memory precision that keeps a file dtype's values exactly: 16-bit as they are, anything else f32. */
    public static Precision storedPrecision(TensorDType dtype) {
        return switch (dtype) {
            case F16 -> Precision.F16;
            case BF16 -> Precision.BF16;
            default -> Precision.F32;
        };
    }

    /** The file holding tensor {@code name}, after checking it exists with the shape config.json implies and a float dtype. */
    private static Path check(SafetensorsFolder folder, Path dir, String name, Shape shape) {
        TensorInfo info = folder.find(name).orElseThrow(() ->
                new BadInputException(dir, "missing tensor '" + name + "' that config.json implies"));
        Path file = folder.fileOf(name);
        if (!Arrays.equals(info.shape(), shape.getShape())) {
            throw new BadInputException(file, "tensor '" + name + "' has shape " + Arrays.toString(info.shape())
                    + " but config.json implies " + shape + "; the config and the weights disagree");
        }
        if (!info.dtype().isFloatingPoint()) {
            throw new BadInputException(file, "tensor '" + name + "' has dtype " + info.dtype() + "; expected F32, F16 or BF16");
        }
        return file;
    }

    /**
     * The weights of a compact file, in the model's layout, checked against the shapes {@code config}
     * implies, each at the precision the writing model held it (under {@code policy}), read one at a time.
     */
    static Map<String, Weight> readCompact(Path file, ModelConfig config, NDManager manager, WeightPolicy policy) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        config.tensorShapes().forEach((k, v) -> shapes.put(k, v.getShape()));
        Map<String, Weight> weights = new LinkedHashMap<>();
        CompactWeights.read(file, shapes, (name, read) -> {
            Shape shape = new Shape(shapes.get(name));
            Precision held = policy.inMemory(read.precision(), shape.dimension());
            // quantized blocks go into memory as they are; nothing else of them touches the heap
            weights.put(name, read.blocks() != null && held == read.precision() ? Weight.ofBlocks(shape, held, read.blocks())
                    : Weight.fromFloats(manager, shape, held, read.floats()));
        });
        if (weights.values().stream().anyMatch(w -> w.precision().isBlocks())) {
            // quantized weights live in the heap: what reading grew beyond them goes back now (see Compressor)
            System.gc();
        }
        return weights;
    }

    static JsonObject generationConfig(int bosTokenId, int eosTokenId) {
        JsonObject o = new JsonObject();
        o.addProperty("bos_token_id", bosTokenId);
        o.addProperty("eos_token_id", eosTokenId);
        o.addProperty("do_sample", false);
        return o;
    }

    static String pretty(JsonObject o) {
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }
}
