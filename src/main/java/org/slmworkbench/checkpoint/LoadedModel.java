package org.slmworkbench.checkpoint;

import java.nio.file.Path;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.TextTokenizer;

/**
 * A Llama checkpoint directory in memory with its typed config, as {@link ModelDirectory#load} gives
 * it; the commands and the window hold a {@link LoadedLm}, which is any architecture.
 */
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
