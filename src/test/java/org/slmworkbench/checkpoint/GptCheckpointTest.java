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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;
import org.slmworkbench.TestArrays;
import org.slmworkbench.io.SafetensorsFolder;
import org.slmworkbench.io.SafetensorsFolderWriter;
import org.slmworkbench.io.SafetensorsWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorEntry;
import org.slmworkbench.model.gpt2.GptConfig;
import org.slmworkbench.model.gpt2.GptTensors;

/** Loading GPT checkpoint folders: shards, Hugging Face naming variants, round trips and refusals. */
class GptCheckpointTest {
    private static final long[] IDS = {5, 17, 200, 3, 9, 258, 0};

    @TempDir Path tmp;

    @Test
    void aShardedFolderLoadsTheSameModelAsASingleFile() throws IOException {
        GptConfig c = GptFolders.bigCode(true);
        Path single = tmp.resolve("single");
        Path sharded = tmp.resolve("sharded");
        GptFolders.write(single, c, TensorDType.BF16, 4);
        GptFolders.write(sharded, c, TensorDType.BF16, 4, 8 << 10);
        assertTrue(Files.isRegularFile(single.resolve(SafetensorsFolder.SINGLE)));
        assertTrue(Files.notExists(sharded.resolve(SafetensorsFolder.SINGLE)));
        String index = Files.readString(sharded.resolve(SafetensorsFolder.INDEX));
        assertTrue(index.contains("\"total_size\"") && index.contains("model-00001-of-0000"), index);
        try (var files = Files.list(sharded)) {
            assertTrue(files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count() >= 3);
        }
        assertArrayEquals(logits(single), logits(sharded), 0f);
    }

    @Test
    void gpt2FilesWithoutThePrefixAndWithMaskBuffersLoadAsTransformersLoadsThem() throws IOException {
        GptConfig c = GptFolders.gpt2();
        Path prefixed = tmp.resolve("prefixed");
        GptFolders.write(prefixed, c, TensorDType.F32, 9);
        Path bare = tmp.resolve("bare");
        copyFolder(prefixed, bare);
        List<TensorEntry> entries = new ArrayList<>();
        TestCheckpoints.read(prefixed).forEach((name, values) -> entries.add(TensorEntry.floats(name.substring(GptTensors.PREFIX.length()),
                TensorDType.F32, GptTensors.fileShapes(c).get(name).getShape(), () -> values)));
        // the buffers old GPT-2 files carry, and a head that tied embeddings make redundant
        entries.add(TensorEntry.floats("h.0.attn.bias", TensorDType.F32, new long[] {1, 1, 20, 20}, () -> new float[400]));
        entries.add(TensorEntry.floats("h.0.attn.masked_bias", TensorDType.F32, new long[] {}, () -> new float[] {-1e4f}));
        entries.add(TensorEntry.floats(GptTensors.HEAD, TensorDType.F32, new long[] {c.vocabSize(), c.nEmbd()},
                () -> new float[c.vocabSize() * c.nEmbd()]));
        SafetensorsWriter.write(bare.resolve(SafetensorsFolder.SINGLE), entries, Map.of("format", "pt"));
        assertArrayEquals(logits(prefixed), logits(bare), 0f);
    }

    @Test
    void parametersWrittenBackInFileLayoutRoundTripBitForBit() throws IOException {
        for (GptConfig c : List.of(GptFolders.gpt2Untied(), GptFolders.bigCode(false))) {
            Path original = tmp.resolve("original");
            Path copy = tmp.resolve("copy");
            GptFolders.write(original, c, TensorDType.F32, 2);
            try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(original, m)) {
                var params = loaded.model().parameters();
                CheckpointWriter.write(copy, CheckpointShape.of(c), TensorDType.F32,
                        name -> GptTensors.toFile(c, name, params.get(name).getArray().toFloatArray()),
                        TestCheckpoints.tokenizer()::save, "", SafetensorsFolderWriter.DEFAULT_MAX_SHARD_BYTES);
            }
            TestArrays.assertSameWeights(TestCheckpoints.read(original), TestCheckpoints.read(copy));
        }
    }

    @Test
    void eosComesFromGenerationConfigThenConfig() throws IOException {
        Path dir = tmp.resolve("m");
        GptFolders.write(dir, GptFolders.gpt2(), TensorDType.F32, 1);
        try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(dir, m)) {
            assertEquals(GptFolders.VOCAB - 1, loaded.eosId());
        }
        Files.writeString(dir.resolve(ModelDirectory.GENERATION), "{\"eos_token_id\": [7, 8]}");
        assertEquals(7, CheckpointLoader.eosId(dir, 1));
        Files.delete(dir.resolve(ModelDirectory.GENERATION));
        assertEquals(1, CheckpointLoader.eosId(dir, 1));
    }

    @Test
    void configsThatWouldChangeTheMathsAreRefused() throws IOException {
        Path dir = tmp.resolve("m");
        GptFolders.write(dir, GptFolders.gpt2(), TensorDType.F32, 1);
        String good = Files.readString(dir.resolve(ModelDirectory.CONFIG));
        assertConfigRefused(dir, good.replace("\"GPT2LMHeadModel\"", "\"MambaForCausalLM\""), "architecture MambaForCausalLM is not supported");
        assertConfigRefused(dir, good.replace("\"gelu_new\"", "\"relu\""), "activation_function \"relu\" is not supported");
        assertConfigRefused(dir, good.replace("\"scale_attn_by_inverse_layer_idx\": false", "\"scale_attn_by_inverse_layer_idx\": true"),
                "scale_attn_by_inverse_layer_idx is true");
        assertConfigRefused(dir, good.replace("\"model_type\": \"gpt2\"", "\"model_type\": \"gpt_bigcode\""), "does not match");
        assertConfigRefused(dir, good.replace("\"n_head\": 5", "\"n_head\": 7"), "not a multiple of n_head");
        assertConfigRefused(dir, good.replace("\"n_inner\": 47", "\"n_inner\": 48"), "has shape [30, 47] but config.json implies");
        assertConfigRefused(dir, good.replace("{", "{\"add_cross_attention\": true,"), "cross-attention");
        assertConfigRefused(dir, good.replace("{", "{\"multi_query\": true,"), "multi_query is a GPTBigCode setting");
    }

    @Test
    void shardIndexesThatLeaveTheFolderOrLieAreRefused() throws IOException {
        Path dir = tmp.resolve("m");
        GptFolders.write(dir, GptFolders.bigCode(true), TensorDType.F32, 1, 8 << 10);
        Path indexFile = dir.resolve(SafetensorsFolder.INDEX);
        String index = Files.readString(indexFile);
        Files.writeString(indexFile, index.replace("\"model-00001-of-", "\"../model-00001-of-"));
        assertRefused(dir, "outside the model folder");
        Files.writeString(indexFile, index.replace("\"model-00001-of-", "\"/etc/model-00001-of-"));
        assertRefused(dir, "outside the model folder");
        Files.writeString(indexFile, index.replace("\"model-00001-of-", "\"missing-00001-of-"));
        assertRefused(dir, "which does not exist");
        Files.writeString(indexFile, index.replace("\"transformer.wte.weight\": \"model-00001", "\"transformer.wte.weight\": \"model-00002"));
        assertRefused(dir, "which has no such tensor");
        Files.writeString(indexFile, "{\"metadata\": {}}");
        assertRefused(dir, "has no weight_map");
    }

    @Test
    void pickleOnlyFoldersAndStrayTensorsAreRefused() throws IOException {
        Path dir = tmp.resolve("m");
        GptFolders.write(dir, GptFolders.gpt2(), TensorDType.F32, 1);
        Path weights = dir.resolve(SafetensorsFolder.SINGLE);
        Files.move(weights, dir.resolve(ModelDirectory.PICKLE));
        assertRefused(dir, "can run arbitrary code");
        Files.move(dir.resolve(ModelDirectory.PICKLE), weights);
        List<TensorEntry> entries = new ArrayList<>();
        TestCheckpoints.read(dir).forEach((name, values) ->
                entries.add(TensorEntry.floats(name, TensorDType.F32, GptTensors.fileShapes(GptFolders.gpt2()).get(name).getShape(), () -> values)));
        entries.add(TensorEntry.floats("transformer.h.0.attn.q_proj.weight", TensorDType.F32, new long[] {2}, () -> new float[2]));
        SafetensorsWriter.write(weights, entries, Map.of());
        assertRefused(dir, "unexpected tensor 'transformer.h.0.attn.q_proj.weight' for a GPT2LMHeadModel");
    }

    private float[] logits(Path dir) {
        try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(dir, m)) {
            return loaded.model().forward(m.create(IDS, new Shape(1, IDS.length))).toFloatArray();
        }
    }

    private static void assertConfigRefused(Path dir, String config, String expected) throws IOException {
        Path file = dir.resolve(ModelDirectory.CONFIG);
        String before = Files.readString(file);
        Files.writeString(file, config);
        try {
            assertRefused(dir, expected);
        } finally {
            Files.writeString(file, before);
        }
    }

    private static void assertRefused(Path dir, String expected) {
        try (NDManager m = NDManager.newBaseManager()) {
            BadInputException e = assertThrows(BadInputException.class, () -> CheckpointLoader.load(dir, m).close());
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
