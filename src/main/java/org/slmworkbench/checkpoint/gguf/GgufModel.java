package org.slmworkbench.checkpoint.gguf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleConsumer;
import java.util.stream.Collectors;
import org.slmworkbench.checkpoint.CheckpointShape;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.io.GgufTensor;
import org.slmworkbench.io.GgufType;
import org.slmworkbench.io.GgufValue;
import org.slmworkbench.io.GgufWriter;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.Weight;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

/**
 * A (compressed) model as llama.cpp loads it: a GGUF file of its architecture's keys, its tokenizer
 * and its tensors under llama.cpp's names, each in the type {@link GgufOutType#typeFor} gives it,
 * with an Ollama Modelfile beside it. Pruned heads and neurons are just smaller sizes and an early
 * exit fewer blocks; settings llama.cpp cannot run are refused with the reason.
 */
public final class GgufModel {
    private final String name;
    private final Map<String, GgufValue> metadata;
    private final List<Weight> weights = new ArrayList<>();
    private final List<GgufTensor> tensors = new ArrayList<>();
    private final int context;
    private final String endOfText;
    private final String notes;

    private GgufModel(String name, CausalLm model, ByteBpeTokenizer tokenizer, CompressionConfig config, GgufOutType type) {
        if (config.exitThreshold() > 0) {
            throw new IllegalArgumentException("exit=" + config.exitLayer() + "@" + config.exitThreshold() + " lets each token leave"
                    + " at its own layer while generating, which a GGUF model cannot express; export exit=" + config.exitLayer()
                    + " (a fixed early exit) instead");
        }
        GgufArch arch = GgufArch.of(model.config());
        this.name = name;
        this.context = model.maxContext();
        this.endOfText = tokenizer.eosId() >= 0 ? tokenizer.tokenString(tokenizer.eosId()) : null;
        metadata = new LinkedHashMap<>();
        metadata.put("general.architecture", GgufValue.string(arch.name()));
        metadata.put("general.name", GgufValue.string(name));
        metadata.put("general.file_type", GgufValue.u32(type.fileType()));
        metadata.put("general.quantization_version", GgufValue.u32(2));
        metadata.putAll(arch.hyperparameters());
        CheckpointShape checkpoint = CheckpointShape.of(model.config());
        int eos = tokenizer.eosId() >= 0 ? tokenizer.eosId() : checkpoint.eosTokenId();
        metadata.putAll(GgufVocab.of(tokenizer, model.vocabSize(), checkpoint.bosTokenId(), eos));
        Map<GgufType, Set<String>> groups = new LinkedHashMap<>();
        model.weights().forEach((hfName, w) -> add(arch.tensorName(hfName), hfName, w, arch, type, groups));
        arch.tiedHead().ifPresent(hfName -> add("output.weight", hfName, model.weights().get(hfName), arch, type, groups));
        this.notes = notes(name, arch, tokenizer, config, type, groups);
    }

    /** Adds the model's tensor {@code hfName} as {@code ggufName}, its dimensions innermost first, in the type its rows allow. */
    private void add(String ggufName, String hfName, Weight w, GgufArch arch, GgufOutType type, Map<GgufType, Set<String>> groups) {
        long[] shape = w.shape().getShape();
        GgufType t = type.typeFor(shape);
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[shape.length - 1 - i];
        }
        tensors.add(GgufTensor.floats(ggufName, dims, t, () -> arch.values(hfName, w.floats())));
        weights.add(w);
        groups.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(ggufName.replaceFirst("^blk\\.\\d+\\.", "blk.*.").replace(".weight", ""));
    }

    /**
     * @param name the file's name without {@code .gguf}, also {@code general.name}
     * @throws IllegalArgumentException with the reason, for a model or setting llama.cpp cannot run as we do
     */
    public static GgufModel of(String name, CausalLm model, ByteBpeTokenizer tokenizer, CompressionConfig config, GgufOutType type) {
        return new GgufModel(name, model, tokenizer, config, type);
    }

    /** The GGUF file's name in the folder. */
    public String fileName() {
        return name + ".gguf";
    }

    /** What the model card says about the file: its types, tensor by group, and what GGUF cannot hold as we do. */
    public String notes() {
        return notes;
    }

    /**
     * Writes {@link #fileName()} and the Modelfile into {@code dir}, telling {@code progress} the fraction of the
     * weights' bytes taken before each tensor (it may throw to cancel).
     */
    public void write(Path dir, DoubleConsumer progress) throws IOException {
        double total = Math.max(1, weights.stream().mapToLong(Weight::bytes).sum());
        List<GgufTensor> reporting = new ArrayList<>();
        long[] taken = {0};
        for (int i = 0; i < tensors.size(); i++) {
            GgufTensor t = tensors.get(i);
            Weight w = weights.get(i);
            reporting.add(new GgufTensor(t.name(), t.dims(), t.type(), () -> {
                progress.accept(Math.min(1, taken[0] / total));
                taken[0] += w.bytes();
                return t.data().get();
            }));
        }
        GgufWriter.write(dir.resolve(fileName()), metadata, reporting);
        Files.writeString(dir.resolve(OllamaModelfile.FILE), OllamaModelfile.text(fileName(), context, endOfText));
    }

    private static String notes(String name, GgufArch arch, ByteBpeTokenizer tokenizer, CompressionConfig config, GgufOutType type,
            Map<GgufType, Set<String>> groups) {
        StringBuilder s = new StringBuilder();
        s.append("GGUF ").append(type.id()).append(" for llama.cpp's `").append(arch.name()).append("` architecture, tokenizer `gpt2`")
                .append(" with pre-tokenizer `").append(GgufVocab.preTokenizer(tokenizer.preTokenization())).append("`.\n\n");
        s.append("Tensor types: ").append(groups.entrySet().stream()
                .map(e -> e.getKey() + " " + String.join(", ", e.getValue())).collect(Collectors.joining("; "))).append('.');
        if (type.matrixType() != GgufType.F32) {
            s.append(" Norms and biases are F32, as llama.cpp's converter writes them");
            s.append(type.matrixType().isQuantized() ? "; so is any matrix whose rows are not whole blocks of 32." : ".");
        }
        if (config.shares()) {
            s.append("\n\nShared weights (").append(config.clusters()).append(" clusters per matrix) have no palette type in GGUF:")
                    .append(" they are stored as their values in the nearest GGUF type, ").append(type.matrixType()).append('.');
        }
        if (config.prunesUnstructured()) {
            s.append("\n\nPruned weights are stored as zeros: GGUF has no sparse type, so the file is no smaller than a dense one.");
        }
        s.append("\n\nRun it with `llama-cli -m ").append(name).append(".gguf`, or import it into Ollama with `ollama create ")
                .append(name).append(" -f Modelfile`.");
        return s.toString();
    }
}
