package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

/**
 * The smallest check that the llama.cpp the test suite relies on is there: the binding's native
 * library loads on this machine and reads a GGUF file we wrote (a random tiny Llama), with our token ids.
 */
class LlamaCppProbeTest {
    @TempDir Path tmp;

    @Test
    void nativesLoadAndReadOurGguf() throws IOException {
        Path model = tmp.resolve("tiny");
        TinyModels.write(model, 1);
        Path out = tmp.resolve("tiny-gguf");
        CliRun export = CliRun.of("export", "--model", model.toString(), "--format", "gguf", "--out", out.toString());
        assertEquals(0, export.exit(), export.err());
        String text = "Mar  1 10:00:00 host-0 sshd[1000]: Accepted password for user0 from 10.0.0.0 port 40000 ssh2";
        try (LlamaCpp cpp = new LlamaCpp(out.resolve("tiny-gguf.gguf"), 64)) {
            assertArrayEquals(ByteBpeTokenizer.load(model.resolve("tokenizer.json")).encode(text), cpp.tokenize(text));
            assertFalse(cpp.greedy("Mar  1", 3).isEmpty(), "llama.cpp generates");
        }
    }
}
