package org.slmworkbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
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
        assertTrue(unknown.err().contains("known: tinyllama, gpt2, tiny_starcoder"), unknown.err());
    }

    @Test
    void writesAGptBigCodeCheckpointFromItsConfig() throws IOException {
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"architectures\": [\"GPTBigCodeForCausalLM\"],"
                + " \"model_type\": \"gpt_bigcode\", \"n_embd\": 48, \"n_layer\": 2, \"n_head\": 4, \"n_inner\": 96,"
                + " \"n_positions\": 64, \"vocab_size\": 600, \"multi_query\": true, \"activation_function\": \"gelu_pytorch_tanh\"}");
        Path out = tmp.resolve("random");
        CliRun r = CliRun.of("init", "--config", config.toString(), "--out", out.toString(), "--dtype", "bf16");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("GPTBigCodeForCausalLM"), r.out());
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"torch_dtype\": \"bfloat16\""));
        try (SafetensorsReader reader = SafetensorsReader.open(out.resolve(ModelDirectory.WEIGHTS))) {
            assertEquals(TensorDType.BF16, reader.get("transformer.h.1.attn.c_attn.weight").dtype());
            assertEquals(2 * 12 + 4, reader.tensors().size(), "tied: wte, wpe, ln_f weight and bias, twelve per block");
        }
        try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(out, m)) {
            assertEquals("GPTBigCodeForCausalLM", loaded.model().architecture());
            float[] bias = loaded.model().parameters().get("transformer.h.0.mlp.c_fc.bias").getArray().toFloatArray();
            assertArrayEquals(new float[bias.length], bias, "biases start at zero");
        }
    }
}
