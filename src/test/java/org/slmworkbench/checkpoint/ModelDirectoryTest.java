package org.slmworkbench.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;
import org.slmworkbench.io.SafetensorsWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorEntry;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;

class ModelDirectoryTest {
    @TempDir Path tmp;

    @Test
    void saveThenLoadGivesIdenticalLogitsAndAHuggingFaceLayout() throws IOException {
        Path dir = tmp.resolve("m");
        LlamaConfig c = TinyModels.write(dir, 3);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "generation_config.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        String config = Files.readString(dir.resolve("config.json"));
        assertTrue(config.contains("\"num_key_value_heads\": 2") && config.contains("LlamaForCausalLM"), config);
        try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = ModelDirectory.load(dir, m);
                LlamaModel original = TinyModels.random(c, m, 3)) {
            assertEquals(c, loaded.config());
            long[] ids = {5, 17, 200, 3, 9};
            float[] a = original.forward(m.create(ids, new Shape(1, 5))).toFloatArray();
            float[] b = loaded.model().forward(m.create(ids, new Shape(1, 5))).toFloatArray();
            assertArrayEquals(a, b, 0f);
            assertEquals(c.vocabSize() - 1, loaded.eosId());
        }
    }

    @Test
    void aFailedSaveLeavesTheEarlierCheckpointIntact() throws IOException {
        Path dir = tmp.resolve("m");
        TinyModels.write(dir, 3);
        byte[] before = Files.readAllBytes(dir.resolve("model.safetensors"));
        LlamaConfig c = TinyModels.config(TinyModels.tokenizer().vocabSize());
        try (NDManager m = NDManager.newBaseManager(); LlamaModel other = TinyModels.random(c, m, 99)) {
            assertThrows(IOException.class, () -> ModelDirectory.save(dir, other, target -> {
                throw new IOException("disk full");
            }, new ModelDirectory.Extras(null, null)));
        }
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("model.safetensors")));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(dir), s.toList(), "no staging folder left behind");
        }
    }

    @Test
    void missingFolderFileAndPartsAreNamed() throws IOException {
        assertMessage(tmp.resolve("nope"), "nope: model folder not found");
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertMessage(file, "is a file");
        Path dir = tmp.resolve("m");
        TinyModels.write(dir, 1);
        Files.delete(dir.resolve("tokenizer.json"));
        assertMessage(dir, "missing tokenizer.json");
    }

    @Test
    void corruptConfigAndDisagreeingDimensionsAreRefused() throws IOException {
        Path dir = tmp.resolve("m");
        TinyModels.write(dir, 1);
        String good = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), "{ not json");
        assertMessage(dir, "config.json: is not valid JSON");
        Files.writeString(dir.resolve("config.json"), good.replace("\"hidden_size\": 32", "\"hidden_size\": 48"));
        assertMessage(dir, "has shape [");
        Files.writeString(dir.resolve("config.json"), good.replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
        assertMessage(dir, "missing tensor 'model.layers.2.input_layernorm.weight'");
        Files.writeString(dir.resolve("config.json"), good.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"));
        assertMessage(dir, "not a multiple of num_key_value_heads");
        Files.writeString(dir.resolve("config.json"), good.replace("\"LlamaForCausalLM\"", "\"MambaForCausalLM\""));
        assertMessage(dir, "MambaForCausalLM is not supported");
    }

    @Test
    void truncatedOrForeignWeightsAreRefused() throws IOException {
        Path dir = tmp.resolve("m");
        TinyModels.write(dir, 1);
        Path weights = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(all, all.length / 2));
        assertMessage(dir, "model.safetensors");
        SafetensorsWriter.write(weights, List.of(TensorEntry.floats("something.else", TensorDType.F32, new long[] {2}, () -> new float[2])),
                Map.of());
        assertMessage(dir, "unexpected tensor 'something.else'");
    }

    @Test
    void aPickleCheckpointIsRefusedWithTheReason() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("hf"));
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        assertMessage(dir, "can run arbitrary code");
    }

    private static void assertMessage(Path dir, String expected) {
        try (NDManager m = NDManager.newBaseManager()) {
            BadInputException e = assertThrows(BadInputException.class, () -> ModelDirectory.load(dir, m).close());
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }
}
