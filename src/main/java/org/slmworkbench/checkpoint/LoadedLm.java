package org.slmworkbench.checkpoint;

import java.nio.file.Path;
import org.slmworkbench.model.CausalLm;
import org.slmworkbench.tokenizer.TextTokenizer;

/**
 * A checkpoint folder of any supported architecture in memory: what generating, evaluating and
 * scoring need. (Compression and the window work on {@link LoadedModel}, which is Llama's.)
 */
public record LoadedLm(Path directory, CausalLm model, TextTokenizer tokenizer, int eosId) implements AutoCloseable {

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
