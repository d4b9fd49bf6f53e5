package org.slmworkbench.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.slmworkbench.compress.CompressedModel;
import org.slmworkbench.compress.CompressionConfig;
import org.slmworkbench.compress.Compressor;
import org.slmworkbench.compress.PruneMethod;
import org.slmworkbench.compress.Quantization;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;
import org.slmworkbench.train.TokenStreams;
import picocli.CommandLine.Option;

/** The compression flags that generate, eval, score, export and finetune share. */
final class CompressionOptions {
    @Option(names = "--prune", defaultValue = "0", paramLabel = "R", description = "fraction of weights to prune, 0..0.95")
    double prune;

    @Option(names = "--prune-method", defaultValue = "magnitude", paramLabel = "M",
            description = "magnitude, global-magnitude, wanda or structured")
    String pruneMethod;

    @Option(names = "--clusters", defaultValue = "0", paramLabel = "K", description = "weight-sharing clusters per matrix, 2..256 (0: off)")
    int clusters;

    @Option(names = "--quant", defaultValue = "off", paramLabel = "Q",
            description = "bits per matrix weight: off, bf16, int8 (ggml Q8_0) or int4 (ggml Q4_0); int8:awq and int4:awq scale "
                    + "input channels by their activations on --calibration first")
    String quant;

    @Option(names = "--exit-layer", defaultValue = "0", paramLabel = "L", description = "run only the first L layers (0: all)")
    int exitLayer;

    @Option(names = "--exit-threshold", defaultValue = "0", paramLabel = "C",
            description = "with --exit-layer: while generating, a token leaves at the first layer whose top-1 probability reaches C")
    double exitThreshold;

    @Option(names = "--calibration", arity = "1..*", paramLabel = "FILE|DIR",
            description = "text like the model's data, for Wanda pruning (e.g. sample-logs; finetune uses its --data)")
    List<Path> calibration;

    @Option(names = "--compression", paramLabel = "SPEC",
            description = "the same as one string, e.g. prune=0.5:structured,share=16,quant=int8,exit=2 (overrides the separate compression flags)")
    String compact;

    CompressionConfig config() {
        return compact != null ? CompressionConfig.parse(compact)
                : new CompressionConfig(prune, PruneMethod.parse(pruneMethod), clusters, Quantization.parse(quant), exitLayer, exitThreshold);
    }

    /** The model to use: {@code base} itself when nothing is compressed, else a compressed copy. */
    Applied apply(CausalLm base, TextTokenizer tokenizer, NDManager parent) {
        CompressionConfig c = config();
        if (c.isNone()) {
            return new Applied(base, null);
        }
        int[] tokens = calibration == null ? null : TokenStreams.of(DatasetLoader.load(calibration, 0).train(), tokenizer);
        CompressedModel m = Compressor.compress(base, c, parent, tokens);
        System.err.println("compressed (" + c.toCompactString() + ") in " + m.compressMillis() + " ms");
        return new Applied(m.model(), m);
    }

    /** The model to run and, when it is a copy, the copy to close. */
    record Applied(CausalLm model, CompressedModel copy) implements AutoCloseable {
        @Override
        public void close() {
            if (copy != null) {
                copy.close();
            }
        }
    }
}
