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
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorInfo;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;
import org.slmworkbench.tokenizer.ByteBpeTrainer;

/** Checkpoint folders of any architecture with random values in every tensor, for exactness tests. */
public final class TestCheckpoints {
    /** A few above the smallest tokenizer, and odd. */
    public static final int VOCAB = 263;
    private static ByteBpeTokenizer tokenizer;

    private TestCheckpoints() {}

    /** The smallest byte-level BPE the trainer makes (259 tokens), trained once. */
    public static synchronized ByteBpeTokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = ByteBpeTrainer.train(List.of(TinyModels.logText(50)), ByteBpeTrainer.MIN_VOCAB_SIZE + 1);
        }
        return tokenizer;
    }

    /**
     * Writes random values for every tensor, biases and norm weights included, scaled so that
     * attention is far from uniform and every tensor shows in the logits.
     */
    public static void write(Path dir, CheckpointShape shape, TensorDType dtype, long seed, long maxShardBytes) throws IOException {
        write(dir, shape, dtype, seed, maxShardBytes, tokenizer());
    }

    /** The same with a tokenizer of the caller's. */
    public static void write(Path dir, CheckpointShape shape, TensorDType dtype, long seed, long maxShardBytes, ByteBpeTokenizer tokenizer)
            throws IOException {
        CheckpointWriter.write(dir, shape, dtype, name -> values(name, shape.tensors().get(name), seed), tokenizer::save, "", maxShardBytes);
    }

    private static float[] values(String name, Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 31 + name.hashCode());
        float[] v = new float[Math.toIntExact(shape.size())];
        boolean vector = shape.dimension() == 1;
        boolean norm = vector && name.endsWith(".weight");
        boolean embedding = name.contains("embed") || name.contains("wte") || name.contains("wpe");
        // matrices about 1/sqrt(width), so activations keep unit scale through the blocks
        double std = vector ? (norm ? 0.2 : 0.1) : embedding ? 1 : 1 / Math.sqrt(Math.min(shape.get(0), shape.get(1)));
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
