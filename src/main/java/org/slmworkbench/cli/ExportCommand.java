package org.slmworkbench.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.ModelExport;
import org.slmworkbench.checkpoint.gguf.GgufOutType;
import org.slmworkbench.compress.CompressionConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a model with a compression setting applied: --format hf is a standard dense checkpoint (structured"
                + " pruning and early exit appear as smaller sizes), --format compact stores sparsity and shared weights compactly,"
                + " --format gguf writes a GGUF file for llama.cpp (matrices as --outtype) with an Ollama Modelfile beside it.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;
    @Option(names = "--format", defaultValue = "hf", paramLabel = "hf|compact|gguf") String format;
    @Option(names = "--outtype", paramLabel = "f32|f16|bf16|q8_0|q4_0",
            description = "with --format gguf: the type of the matrices (default: the precision the model is held at); norms and"
                    + " biases stay f32") String outType;
    @Mixin CompressionOptions compression;
    @Mixin WeightsOption weights;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ModelExport.Format f = ModelExport.Format.parse(format);
        GgufOutType ggufType = outType == null ? null : GgufOutType.parse(outType);
        if (ggufType != null && f != ModelExport.Format.GGUF) {
            throw new IllegalArgumentException("--outtype goes with --format gguf, not " + format);
        }
        CompressionConfig config = compression.config();
        long bytes;
        try (NDManager root = NDManager.newBaseManager(); LoadedLm m = CheckpointLoader.load(model, root, weights.policy());
                CompressionOptions.Applied applied = compression.apply(m.model(), m.tokenizer(), root)) {
            bytes = ModelExport.write(model, applied.model(), config, f, ggufType, out, "", CommandLines.reconstruct(spec), p -> { });
        }
        System.out.printf(Locale.ROOT, "wrote %s (%s%s, %s): %,d bytes%n", out, format, ggufType == null ? "" : " " + ggufType.id(),
                config.toCompactString(), bytes);
        return 0;
    }
}
