package org.slmworkbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slmworkbench.checkpoint.CheckpointShape;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.RandomCheckpoint;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.Document;
import org.slmworkbench.data.SampleLogGenerator;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.model.ConfigFile;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;
import org.slmworkbench.tokenizer.ByteBpeTrainer;
import org.slmworkbench.tokenizer.PreTokenization;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a random-weight checkpoint of a given shape (for speed, memory and size measurements at real scale),"
                + " with a byte-level BPE tokenizer trained on generated logs (at most the config's vocabulary size).")
final class InitCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1") Shape shape;

    static final class Shape {
        @Option(names = "--config", paramLabel = "FILE.json",
                description = "a Hugging Face config.json of LlamaForCausalLM, GPT2LMHeadModel or GPTBigCodeForCausalLM") Path config;
        @Option(names = "--like", paramLabel = "NAME", description = "tinyllama, gpt2 (124M) or tiny_starcoder (164M)") String like;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;
    @Option(names = "--dtype", defaultValue = "f32", paramLabel = "f32|f16|bf16") String dtype;
    @Option(names = "--seed", defaultValue = "1") long seed;

    @Override
    public Integer call() throws Exception {
        TensorDType type = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> TensorDType.F32;
            case "f16" -> TensorDType.F16;
            case "bf16" -> TensorDType.BF16;
            default -> throw new IllegalArgumentException("--dtype must be f32, f16 or bf16, got " + dtype);
        };
        CheckpointShape config = shape.like != null ? CheckpointShape.like(shape.like) : CheckpointShape.read(ConfigFile.read(shape.config));
        ByteBpeTokenizer tokenizer = tokenizer(Math.min(config.vocabSize(), 8192));
        long t0 = System.nanoTime();
        RandomCheckpoint.write(out, config, type, seed, tokenizer::save);
        long bytes = ModelDirectory.sizeOnDisk(out);
        System.out.printf(Locale.ROOT, "wrote %s: %s, %,d parameters, %s, %,d bytes in %.1f s%n", out, config.architecture(),
                config.parameterCount(), dtype, bytes, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** A BPE tokenizer learned from freshly generated sample logs; its vocabulary may stop short of the config's. */
    private static ByteBpeTokenizer tokenizer(int vocab) throws Exception {
        Path logs = Files.createTempDirectory("slm-init-logs");
        try {
            SampleLogGenerator.generate(logs.resolve("logs"), 42);
            List<String> texts = DatasetLoader.load(List.of(logs.resolve("logs")), 0).train().stream().map(Document::text).toList();
            return ByteBpeTrainer.train(texts, vocab, PreTokenization.GPT2_INDIVIDUAL_DIGITS);
        } finally {
            AtomicFiles.deleteTree(logs);
        }
    }
}
