package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    private List<String> folderContents() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path writeOriginal() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, List.of(TensorEntry.floats("w", TensorDType.F32, new long[] {2}, () -> new float[] {1f, 2f})),
                Map.of("version", "1"));
        return file;
    }

    @Test
    void suppliersRunOnceEachInOrderWhileWriting() throws IOException {
        List<String> calls = new ArrayList<>();
        Path file = dir.resolve("lazy.safetensors");
        List<TensorEntry> entries = List.of(
                TensorEntry.floats("a", TensorDType.BF16, new long[] {3}, () -> {
                    calls.add("a");
                    return new float[] {1f, 2f, 3f};
                }),
                TensorEntry.bytes("b", TensorDType.U8, new long[] {2}, () -> {
                    calls.add("b");
                    return ByteBuffer.wrap(new byte[] {7, 9});
                }));
        assertEquals(List.of(), calls);
        SafetensorsWriter.write(file, entries, Map.of());
        assertEquals(List.of("a", "b"), calls);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1f, 2f, 3f}, reader.readFloats("a"));
            assertArrayEquals(new byte[] {7, 9}, reader.readBytes("b").array());
        }
    }

    @Test
    void largeTensorIsStreamedThroughTheBufferIntact() throws IOException {
        float[] values = new float[700_000]; // 2.8 MB as F32: several passes through the 1 MiB buffer
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        Path file = dir.resolve("big.safetensors");
        SafetensorsWriter.write(file, List.of(
                TensorEntry.floats("f32", TensorDType.F32, new long[] {700, 1000}, values::clone),
                TensorEntry.floats("f16", TensorDType.F16, new long[] {700_000}, values::clone)), Map.of());
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertArrayEquals(values, reader.readFloats("f32"));
            float[] halves = reader.readFloats("f16");
            for (int i = 0; i < values.length; i += 997) {
                assertEquals(HalfFloats.f16ToFloat(HalfFloats.floatToF16(values[i])), halves[i]);
            }
            assertEquals(values[values.length - 1], halves[values.length - 1], 1e-3);
        }
    }

    @Test
    void supplierFailingMidWriteLeavesTheOldFileAndNoTempFile() throws IOException {
        Path file = writeOriginal();
        byte[] before = Files.readAllBytes(file);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(file, List.of(
                TensorEntry.floats("ok", TensorDType.F32, new long[] {300_000}, () -> new float[300_000]),
                TensorEntry.floats("bad", TensorDType.F32, new long[] {1}, () -> {
                    throw boom;
                })), Map.of()));
        assertSame(boom, thrown);
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("model.safetensors"), folderContents());
    }

    @Test
    void wrongLengthFromASupplierNamesTheTensor() throws IOException {
        Path file = writeOriginal();
        byte[] before = Files.readAllBytes(file);
        IllegalArgumentException floats = assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(file,
                List.of(TensorEntry.floats("w", TensorDType.F16, new long[] {2, 3}, () -> new float[5])), Map.of()));
        assertEquals("tensor 'w' was supplied 5 floats but shape [2, 3] needs 6", floats.getMessage());
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(file,
                List.of(TensorEntry.bytes("q", TensorDType.I32, new long[] {2}, () -> ByteBuffer.allocate(7))), Map.of()));
        assertEquals("tensor 'q' was supplied 7 bytes but I32 shape [2] needs 8", bytes.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("model.safetensors"), folderContents());
    }

    @Test
    void refusesDuplicateAndReservedNamesAndFloatsAsIntegers() {
        Path file = dir.resolve("x.safetensors");
        TensorEntry w = TensorEntry.floats("w", TensorDType.F32, new long[] {1}, () -> new float[1]);
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(file, List.of(w, w), Map.of()));
        assertEquals("tensor name 'w' is used twice", duplicate.getMessage());
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(file,
                List.of(TensorEntry.floats("__metadata__", TensorDType.F32, new long[] {1}, () -> new float[1])), Map.of()));
        assertEquals("tensor name '__metadata__' is reserved", reserved.getMessage());
        IllegalArgumentException ints = assertThrows(IllegalArgumentException.class,
                () -> TensorEntry.floats("i", TensorDType.I32, new long[] {1}, () -> new float[1]));
        assertEquals("tensor 'i' has float data but dtype I32; store it as F32, F16, BF16 or F64, or supply raw bytes",
                ints.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TensorEntry.floats("n", TensorDType.F32, new long[] {-1}, () -> new float[0]));
        assertEquals(List.of(), List.of(dir.toFile().list()));
    }
}
