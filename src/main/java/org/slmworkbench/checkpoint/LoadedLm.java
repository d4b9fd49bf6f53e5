package org.slmworkbench.checkpoint;

import java.nio.file.Path;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;

/** A checkpoint folder of any supported architecture in memory, as every command and the window use it. */
public record LoadedLm(Path directory, CausalLm model, TextTokenizer tokenizer, int eosId) implements AutoCloseable {

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
