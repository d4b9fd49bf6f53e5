package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;
import org.slmworkbench.checkpoint.LoadedModel;
import org.slmworkbench.checkpoint.ModelDirectory;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.io.SafetensorsReader;
import org.slmworkbench.io.SafetensorsWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorEntry;
import org.slmworkbench.io.TensorInfo;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

class CompactWeightsTest {
    @TempDir Path tmp;

    @Test
    void eachTensorTakesItsSmallestExactForm() {
        float[] dense = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};
        assertEquals(CompactWeights.Encoding.DENSE, CompactWeights.smallest(dense));
        float[] sparse = new float[1000];
        for (int i = 0; i < 1000; i += 10) {
            sparse[i] = i * 0.001f;
        }
        assertEquals(CompactWeights.Encoding.SPARSE, CompactWeights.smallest(sparse));
        float[] palette = new float[1000];
        for (int i = 0; i < 1000; i++) {
            palette[i] = (i % 16) * 0.5f - 3.75f;
        }
        assertEquals(CompactWeights.Encoding.PALETTE, CompactWeights.smallest(palette));
        float[] both = new float[1000];
        for (int i = 0; i < 1000; i += 4) {
            both[i] = (i % 7) + 1;
        }
        assertEquals(CompactWeights.Encoding.SPARSE_PALETTE, CompactWeights.smallest(both));
    }

    @Test
    void aCompactFolderReloadsWithIdenticalLogitsAndIsSmaller() throws IOException {
        ByteBpeTokenizer tok = TinyModels.tokenizer();
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(TinyModels.config(tok.vocabSize()), m, 8)) {
            for (String setting : List.of("prune=0.5:magnitude", "share=16", "prune=0.5:magnitude,share=16", "quant=int8", "quant=int4",
                    "prune=0.5:magnitude,quant=int4", "none")) {
                try (CompressedModel c = Compressor.compress(base, CompressionConfig.parse(setting), m)) {
                    Path dense = tmp.resolve("dense-" + setting.hashCode());
                    Path compact = tmp.resolve("compact-" + setting.hashCode());
                    ModelDirectory.save(dense, c.model(), tok::save, new ModelDirectory.Extras(null, null, false));
                    ModelDirectory.save(compact, c.model(), tok::save, new ModelDirectory.Extras(null, null, true));
                    long denseBytes = Files.size(dense.resolve(ModelDirectory.WEIGHTS));
                    long compactBytes = Files.size(compact.resolve(CompactWeights.FILE));
                    // uncompressed, only the tensor index in the header is extra
                    long allowed = setting.equals("none") ? denseBytes + 4096 : denseBytes - 1;
                    assertTrue(compactBytes <= allowed, setting + ": " + compactBytes + " vs " + denseBytes);
                    long[] ids = {3, 14, 15, 92, 65, 35};
                    float[] expected = c.model().forward(m.create(ids, new Shape(1, 6))).toFloatArray();
                    try (LoadedModel back = ModelDirectory.load(compact, m)) {
                        assertArrayEquals(expected, back.model().forward(m.create(ids, new Shape(1, 6))).toFloatArray(), 0f, setting);
                    }
                }
            }
        }
    }

    @Test
    void aCorruptIndexOrCodebookIsRefusedWithTheTensorNamed() throws IOException {
        Path dir = saveCompact("m", "share=4");
        Path file = dir.resolve(CompactWeights.FILE);
        String victim = "model.layers.0.mlp.up_proj.weight";
        rewrite(file, victim + ".codebook", b -> ByteBuffer.allocate(0));
        assertRefused(dir, victim, "codebook has 0 entries");
        Path dir2 = saveCompact("m2", "share=3");
        // with 3 entries, 2-bit index 3 points past the codebook
        rewrite(dir2.resolve(CompactWeights.FILE), victim + ".indices", b -> {
            ByteBuffer copy = ByteBuffer.allocate(b.remaining());
            copy.put(b).flip();
            copy.put(0, (byte) 0xFF);
            return copy;
        });
        assertRefused(dir2, victim, "past the codebook");
    }

    @Test
    void aCorruptByteplaneIsRefusedWithTheTensorNamed() throws IOException {
        Path dir = saveCompact("planes", "prune=0.5");
        String victim = "model.layers.1.self_attn.o_proj.weight";
        rewrite(dir.resolve(CompactWeights.FILE), victim + ".values.planes", b -> {
            ByteBuffer cut = b.duplicate();
            cut.limit(cut.limit() - 1);
            return cut;
        });
        assertRefused(dir, victim, "byte planes take");
    }

    @Test
    void quantizedBlocksOfTheWrongLengthAreRefusedWithTheTensorNamed() throws IOException {
        Path dir = saveCompact("blocks", "quant=int4");
        String victim = "model.layers.0.mlp.down_proj.weight";
        rewrite(dir.resolve(CompactWeights.FILE), victim + ".blocks", b -> {
            ByteBuffer cut = b.duplicate();
            cut.limit(cut.limit() - 18);
            return cut;
        });
        assertRefused(dir, victim, "blocks take");
    }

    /** A random tiny model compressed by {@code setting}, saved compact in a new folder. */
    private Path saveCompact(String folder, String setting) throws IOException {
        ByteBpeTokenizer tok = TinyModels.tokenizer();
        Path dir = tmp.resolve(folder);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel base = TinyModels.random(TinyModels.config(tok.vocabSize()), m, 8);
                CompressedModel c = Compressor.compress(base, CompressionConfig.parse(setting), m)) {
            ModelDirectory.save(dir, c.model(), tok::save, new ModelDirectory.Extras(null, null, true));
        }
        return dir;
    }

    private static void assertRefused(Path dir, String tensor, String problem) {
        try (NDManager m = NDManager.newBaseManager()) {
            BadInputException e = assertThrows(BadInputException.class, () -> ModelDirectory.load(dir, m).close());
            assertTrue(e.getMessage().contains(tensor) && e.getMessage().contains(problem), e.getMessage());
        }
    }

    /** Rewrites one tensor's bytes, keeping every other tensor and the metadata. */
    private static void rewrite(Path file, String name, java.util.function.UnaryOperator<ByteBuffer> change) throws IOException {
        Map<String, String> meta;
        List<TensorEntry> entries = new java.util.ArrayList<>();
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            meta = new LinkedHashMap<>(r.metadata());
            for (TensorInfo t : r.tensors()) {
                ByteBuffer bytes = r.readBytes(t.name());
                ByteBuffer data = t.name().equals(name) ? change.apply(bytes) : bytes;
                long count = data.remaining() / t.dtype().byteSize();
                entries.add(TensorEntry.bytes(t.name(), t.dtype(), new long[] {count}, () -> data));
            }
        }
        SafetensorsWriter.write(file, entries, meta);
    }
}
