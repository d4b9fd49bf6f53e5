package org.slmworkbench.checkpoint;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.RandomWeights;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;
import org.slmworkbench.tokenizer.ByteBpeTrainer;

/** Small random checkpoints for tests, with a real tokenizer trained on log-like text. */
public final class TinyModels {
    private TinyModels() {}

    public static String logText(int lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            out.add(String.format("Mar %2d 10:%02d:%02d host-%d sshd[%d]: Accepted password for user%d from 10.0.%d.%d port %d ssh2",
                    1 + i % 28, i % 60, (i * 7) % 60, i % 5, 1000 + i, i % 9, i % 4, i % 250, 40000 + i));
        }
        return String.join("\n", out) + "\n";
    }

    public static ByteBpeTokenizer tokenizer() {
        return ByteBpeTrainer.train(List.of(logText(400)), 300);
    }

    public static LlamaConfig config(int vocab) {
        return new LlamaConfig(32, 64, 2, 4, 2, 8, 1e-5, 10000, 64, vocab, true, vocab - 1, vocab - 1);
    }

    /** Writes a random-weight checkpoint folder and returns its config. */
    public static LlamaConfig write(Path dir, long seed) throws IOException {
        ByteBpeTokenizer tok = tokenizer();
        LlamaConfig c = config(tok.vocabSize());
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = random(c, m, seed)) {
            ModelDirectory.save(dir, model, tok::save, new ModelDirectory.Extras(null, null));
        }
        return c;
    }

    public static LlamaModel random(LlamaConfig c, NDManager parent, long seed) {
        NDManager m = parent.newSubManager();
        return new LlamaModel(c, m, new RandomWeights(m, LlamaModel.tensorShapes(c), c.numHiddenLayers(), seed));
    }
}
