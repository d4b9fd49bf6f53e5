package org.slmworkbench.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slmworkbench.BadInputException;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.model.ModelCard;

/**
 * Writes a (compressed) model as a model folder, dense in its architecture's Hugging Face layout or compact, with
 * a model card naming its source, its compression and whatever was measured for it. The window
 * and the {@code export} command both come here.
 */
public final class ModelExport {
    public enum Format { HF, COMPACT;

        public static Format parse(String s) {
            return switch (s) {
                case "hf" -> HF;
                case "compact" -> COMPACT;
                default -> throw new IllegalArgumentException("the export format must be hf or compact, got " + s);
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
            String command, java.util.function.DoubleConsumer progress) throws IOException {
        if (source.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new BadInputException(out, "is the model being exported; an export never overwrites its source");
        }
        if (format == Format.HF && model.config().hfLimitation().isPresent()) {
            throw new IllegalArgumentException(model.config().hfLimitation().get() + "; export it as compact instead");
        }
        String notes = "Exported from " + source.getFileName() + " with compression " + config.toCompactString() + ", format "
                + format.id() + "." + (measured.isBlank() ? "" : "\n\n" + measured.strip());
        ModelCard card = new ModelCard(out.getFileName().toString(), model.architecture(), model.parameterCount(),
                "from " + source.getFileName(), List.of(), 0, 0, 0, Double.NaN, Double.NaN, command, notes);
        ModelDirectory.save(out, model, ModelDirectory.copyTokenizerFrom(source), new ModelDirectory.Extras(card, null, format == Format.COMPACT),
                progress);
        return ModelDirectory.sizeOnDisk(out);
    }
}
