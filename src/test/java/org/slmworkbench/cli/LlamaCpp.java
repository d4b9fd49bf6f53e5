package org.slmworkbench.cli;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A GGUF file loaded in a real llama.cpp (build b4916, the natives the de.kherud:llama 4.1.0 binding
 * ships) on the CPU: its tokenizer, and its greedy continuation of a prompt, one piece of text per
 * generated token, as its server streams them.
 */
final class LlamaCpp implements AutoCloseable {
    private final LlamaModel model;

    LlamaCpp(Path gguf, int context) {
        model = new LlamaModel(new ModelParameters().setModel(gguf.toString()).setCtxSize(context).setThreads(2).disableLog());
    }

    /** llama.cpp's token ids for {@code text}; the file asks for no BOS, as our tokenizers add none. */
    int[] tokenize(String text) {
        return model.encode(text);
    }

    /**
     * The text of each token of the greedy continuation of {@code prompt}, up to {@code tokens} of them or end of text:
     * temperature 0 keeps only the most likely token, and no penalty changes the logits.
     */
    List<String> greedy(String prompt, int tokens) {
        InferenceParameters p = new InferenceParameters(prompt).setNPredict(tokens).setTemperature(0).setTopK(1).setRepeatPenalty(1)
                .setSeed(1).setCachePrompt(false);
        List<String> pieces = new ArrayList<>();
        for (LlamaOutput o : model.generate(p)) {
            pieces.add(o.text);
        }
        // the stream closes with an empty message that carries no token
        if (!pieces.isEmpty() && pieces.get(pieces.size() - 1).isEmpty()) {
            pieces.remove(pieces.size() - 1);
        }
        return pieces;
    }

    @Override
    public void close() {
        model.close();
    }
}
