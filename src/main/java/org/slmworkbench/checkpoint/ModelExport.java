package org.slmworkbench.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.List;
import java.util.function.DoubleConsumer;
import org.slmworkbench.BadInputException;
import org.slmworkbench.checkpoint.gguf.GgufModel;
import org.slmworkbench.checkpoint.gguf.GgufOutType;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.ModelCard;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

/**
 * Writes a (compressed) model as a model folder, dense in its architecture's Hugging Face layout, compact, or a
 * GGUF file for llama.cpp with an Ollama Modelfile, with a model card naming its source, its compression and
 * whatever was measured for it. The window and the {@code export} command both come here.
 */
public final class ModelExport {
    public enum Format { HF, COMPACT, GGUF;

        public static Format parse(String s) {
            return switch (s) {
                case "hf" -> HF;
                case "compact" -> COMPACT;
                case "gguf" -> GGUF;
                default -> throw new IllegalArgumentException("the export format must be hf, compact or gguf, got " + s);
            };
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private ModelExport() {}

    /**
     * @param measured Markdown describing measured results, or an empty string
     * @return bytes on disk of the written folder
     */
    public static long write(Path source, CausalLm model, CompressionConfig config, Format format, Path out, String measured,
            String command) throws IOException {
        return write(source, model, config, format, out, measured, command, f -> { });
    }

    /** The same, telling {@code progress} the fraction of the weights written (see {@link ModelDirectory#save}); it may throw to cancel. */
    public static long write(Path source, CausalLm model, CompressionConfig config, Format format, Path out, String measured,
            String command, DoubleConsumer progress) throws IOException {
        return write(source, model, config, format, null, out, measured, command, progress);
    }

    /**
     * The same with the GGUF type of the matrices, {@code ggufType}; null stores them at the precision the model holds
     * them (a bf16 model as BF16). Only GGUF takes a type.
     */
    public static long write(Path source, CausalLm model, CompressionConfig config, Format format, GgufOutType ggufType, Path out,
            String measured, String command, DoubleConsumer progress) throws IOException {
        if (ggufType != null && format != Format.GGUF) {
            throw new IllegalArgumentException("a GGUF type (" + ggufType.id() + ") only goes with --format gguf, not " + format.id());
        }
        if (source.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new BadInputException(out, "is the model being exported; an export never overwrites its source");
        }
        if (format == Format.HF && model.config().hfLimitation().isPresent()) {
            throw new IllegalArgumentException(model.config().hfLimitation().get() + "; export it as compact instead");
        }
        String notes = "Exported from " + source.getFileName() + " with compression " + config.toCompactString() + ", format "
                + format.id() + "." + (measured.isBlank() ? "" : "\n\n" + measured.strip());
        String name = out.getFileName().toString();
        if (format == Format.GGUF) {
            GgufModel gguf = GgufModel.of(name, model, ggufTokenizer(source), config,
                    ggufType != null ? ggufType : GgufOutType.of(model.matrixPrecision()));
            ModelCard card = card(name, source, model, command, notes + "\n\n" + gguf.notes());
            AtomicFiles.replaceDirectory(out, staging -> {
                gguf.write(staging, progress);
                Files.writeString(staging.resolve(ModelDirectory.CARD), card.toMarkdown());
            });
            return ModelDirectory.sizeOnDisk(out);
        }
        ModelCard card = card(name, source, model, command, notes);
        ModelDirectory.save(out, model, ModelDirectory.copyTokenizerFrom(source), new ModelDirectory.Extras(card, null, format == Format.COMPACT),
                progress);
        return ModelDirectory.sizeOnDisk(out);
    }

    private static ModelCard card(String name, Path source, CausalLm model, String command, String notes) {
        return new ModelCard(name, model.architecture(), model.parameterCount(), "from " + source.getFileName(), List.of(), 0, 0, 0,
                Double.NaN, Double.NaN, command, notes);
    }

    /** The source's tokenizer, which GGUF can describe only as a byte-level BPE (llama.cpp's {@code gpt2} tokenizer model). */
    private static ByteBpeTokenizer ggufTokenizer(Path source) {
        Path file = source.resolve(ModelDirectory.TOKENIZER);
        try {
            return ByteBpeTokenizer.load(file);
        } catch (BadInputException e) {
            throw new BadInputException(e.getMessage() + "; a GGUF export describes the tokenizer to llama.cpp as a byte-level BPE"
                    + " (its gpt2 tokenizer model), so it needs one");
        }
    }
}
