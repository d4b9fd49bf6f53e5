package org.slmworkbench.checkpoint;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slmworkbench.io.SafetensorsFolder;
import org.slmworkbench.io.SafetensorsFolderWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorInfo;
import org.slmworkbench.model.gpt2.GptConfig;
import org.slmworkbench.model.gpt2.GptFamily;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;
import org.slmworkbench.tokenizer.ByteBpeTrainer;

/** Small random GPT-2 / GPTBigCode checkpoint folders for tests, with odd sizes everywhere. */
public final class GptFolders {
    /** One more than the smallest tokenizer plus a few, and odd. */
    public static final int VOCAB = 263;
    private static ByteBpeTokenizer tokenizer;

    private GptFolders() {}

    /** GPT-2: 3 layers, 5 heads of 6, MLP 47, tied head, gelu_new. */
    public static GptConfig gpt2() {
        return new GptConfig(GptFamily.GPT2, 30, 3, 5, 47, 20, VOCAB, 1e-5, "gelu_new", false, true, true, VOCAB - 1, VOCAB - 1);
    }

    /** GPT-2 with the exact erf GELU, unscaled attention and an untied head. */
    public static GptConfig gpt2Untied() {
        return new GptConfig(GptFamily.GPT2, 30, 2, 3, 41, 20, VOCAB, 1e-5, "gelu", false, false, false, VOCAB - 1, VOCAB - 1);
    }

    /** GPTBigCode: 3 layers, 3 heads of 7, MLP 37, with or without multi-query attention. */
    public static GptConfig bigCode(boolean multiQuery) {
        return new GptConfig(GptFamily.BIG_CODE, 21, 3, 3, 37, 20, VOCAB, 1e-5, "gelu_pytorch_tanh", multiQuery, true, true, 0, 0);
    }

    /** The smallest byte-level BPE the trainer makes (259 tokens), trained once. */
    public static synchronized ByteBpeTokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = ByteBpeTrainer.train(List.of(TinyModels.logText(50)), ByteBpeTrainer.MIN_VOCAB_SIZE + 1);
        }
        return tokenizer;
    }

    public static void write(Path dir, GptConfig c, TensorDType dtype, long seed) throws IOException {
        write(dir, c, dtype, seed, SafetensorsFolderWriter.DEFAULT_MAX_SHARD_BYTES);
    }

    /**
     * Writes random values for every tensor, biases and norm weights included, scaled so that
     * attention is far from uniform and every tensor shows in the logits.
     */
    public static void write(Path dir, GptConfig c, TensorDType dtype, long seed, long maxShardBytes) throws IOException {
        CheckpointShape shape = CheckpointShape.of(c);
        CheckpointWriter.write(dir, shape, dtype, name -> values(name, shape.tensors().get(name), seed), tokenizer()::save, "", maxShardBytes);
    }

    private static float[] values(String name, Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 31 + name.hashCode());
        float[] v = new float[Math.toIntExact(shape.size())];
        boolean norm = name.contains("ln_") && name.endsWith(".weight");
        boolean embedding = name.contains("wte") || name.contains("wpe");
        boolean bias = name.endsWith(".bias");
        // matrices about 1/sqrt(width), so activations keep unit scale through the blocks
        double std = bias ? 0.1 : norm ? 0.2 : embedding ? 1 : 1 / Math.sqrt(Math.min(shape.get(0), shape.get(1)));
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((norm ? 1 : 0) + std * r.nextGaussian());
        }
        return v;
    }

    /** Every tensor of a checkpoint folder as floats, by the name the file gives it. */
    public static Map<String, float[]> read(Path dir) {
        Map<String, float[]> all = new LinkedHashMap<>();
        try (SafetensorsFolder folder = SafetensorsFolder.open(dir)) {
            for (TensorInfo t : folder.tensors()) {
                all.put(t.name(), folder.readFloats(t.name()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }
}
