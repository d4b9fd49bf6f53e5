package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.LoadedModel;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.io.SafetensorsReader;
import org.slmworkbench.io.TensorDType;

class InitCliTest {
    @TempDir Path tmp;

    @Test
    void writesALoadableRandomCheckpointOfTheGivenShapeAndDtype() throws IOException {
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 64,"
                + " \"intermediate_size\": 160, \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2,"
                + " \"vocab_size\": 600, \"max_position_embeddings\": 128}");
        Path out = tmp.resolve("random");
        CliRun r = CliRun.of("init", "--config", config.toString(), "--out", out.toString(), "--dtype", "f16", "--seed", "3");
        assertEquals(0, r.exit(), r.err());
        try (SafetensorsReader reader = SafetensorsReader.open(out.resolve(ModelDirectory.WEIGHTS))) {
            assertEquals(TensorDType.F16, reader.get("model.layers.1.mlp.down_proj.weight").dtype());
            assertEquals(2 * 9 + 3, reader.tensors().size(), "untied: embedding, head, final norm and nine per layer");
        }
        try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = ModelDirectory.load(out, m)) {
            assertEquals(64, loaded.config().hiddenSize());
            assertEquals(2, loaded.config().numKeyValueHeads());
            assertTrue(loaded.tokenizer().vocabSize() <= 600);
            float[] gate = loaded.model().parameters().get("model.layers.0.mlp.gate_proj.weight").getArray().toFloatArray();
            double sumSquares = 0;
            for (float x : gate) {
                sumSquares += x * x;
            }
            assertEquals(0.02, Math.sqrt(sumSquares / gate.length), 0.002, "weights drawn with std 0.02");
        }
        CliRun unknown = CliRun.of("init", "--like", "gpt5", "--out", tmp.resolve("x").toString());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("known: tinyllama"), unknown.err());
    }
}
