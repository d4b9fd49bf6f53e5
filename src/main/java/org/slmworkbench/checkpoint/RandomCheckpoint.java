package org.slmworkbench.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import org.slmworkbench.io.IoAction;
import org.slmworkbench.io.SafetensorsFolderWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.RandomInit;
import org.slmworkbench.model.gpt2.GptConfig;
import org.slmworkbench.model.gpt2.GptFamily;

/**
 * Random-weight checkpoints of exact real shapes, for measuring speed, memory and size at scale
 * where real weights cannot be downloaded. Tensors are drawn and written one at a time, so a
 * billion-parameter model never sits in Java memory whole; above 2 GiB the weights are sharded as
 * transformers shards them.
 */
public final class RandomCheckpoint {
    private RandomCheckpoint() {}

    /** TinyLlama-1.1B's shape (22 layers, hidden 2048, intermediate 5632, 32 heads, 4 key/value heads, vocab 32000). */
    public static LlamaConfig tinyLlama() {
        return new LlamaConfig(2048, 5632, 22, 32, 4, 64, 1e-5, 10000.0, 2048, 32000, false, 1, 2);
    }

    /** openai-community/gpt2 (124M): 12 layers, 768 wide, 12 heads, 1024 positions, vocabulary 50257, tied head. */
    public static GptConfig gpt2() {
        return new GptConfig(GptFamily.GPT2, 768, 12, 12, 3072, 1024, 50257, 1e-5, "gelu_new", false, true, true, 50256, 50256);
    }

    /** bigcode/tiny_starcoder_py (164M): 20 layers, 768 wide, 12 query heads sharing one key/value head, 8192 positions, vocabulary 49152. */
    public static GptConfig tinyStarcoderPy() {
        return new GptConfig(GptFamily.BIG_CODE, 768, 20, 12, 3072, 8192, 49152, 1e-5, "gelu_pytorch_tanh", true, true, true, 0, 0);
    }

    public static void write(Path dir, CheckpointShape shape, TensorDType dtype, long seed, IoAction<Path> writeTokenizer) throws IOException {
        write(dir, shape, dtype, seed, writeTokenizer, SafetensorsFolderWriter.DEFAULT_MAX_SHARD_BYTES);
    }

    public static void write(Path dir, CheckpointShape shape, TensorDType dtype, long seed, IoAction<Path> writeTokenizer,
            long maxShardBytes) throws IOException {
        RandomInit init = new RandomInit(shape.tensors(), shape.layers(), seed);
        String readme = "# " + dir.getFileName() + "\n\nRandom weights (seed " + seed + ", " + dtype + ") in the shape of config.json ("
                + shape.architecture() + "), made by SLM Workbench's `init` for measuring speed, memory and size. It has learned nothing.\n";
        CheckpointWriter.write(dir, shape, dtype, init::values, writeTokenizer, readme, maxShardBytes);
    }
}
