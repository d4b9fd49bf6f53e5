package org.slmworkbench.checkpoint;

import java.nio.file.Path;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.TextTokenizer;

/** A checkpoint directory in memory: the model, its tokenizer and where it came from. */
public record LoadedModel(Path directory, LlamaConfig config, LlamaModel model, TextTokenizer tokenizer) implements AutoCloseable {

    public int eosId() {
        return tokenizer.eosId() >= 0 ? tokenizer.eosId() : config.eosTokenId();
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
