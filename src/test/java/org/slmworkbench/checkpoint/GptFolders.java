package org.slmworkbench.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import org.slmworkbench.io.SafetensorsFolderWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.model.gpt2.GptConfig;
import org.slmworkbench.model.gpt2.GptFamily;

/** Small random GPT-2 / GPTBigCode checkpoint folders for tests, with odd sizes everywhere. */
public final class GptFolders {
    public static final int VOCAB = TestCheckpoints.VOCAB;

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

    public static void write(Path dir, GptConfig c, TensorDType dtype, long seed) throws IOException {
        write(dir, c, dtype, seed, SafetensorsFolderWriter.DEFAULT_MAX_SHARD_BYTES);
    }

    public static void write(Path dir, GptConfig c, TensorDType dtype, long seed, long maxShardBytes) throws IOException {
        TestCheckpoints.write(dir, CheckpointShape.of(c), dtype, seed, maxShardBytes);
    }
}
