package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    private static final float[] F32_VALUES = {1.5f, -2.25f, 3.4028235e38f, Float.MIN_VALUE, -0f, 0.1f};
    private static final float[] F16_VALUES = {1.5f, -2.25f, 65504f, 5.9604645e-8f, 0.1f};
    private static final float[] BF16_VALUES = {1f, -3.5f, 0.1f, Float.NEGATIVE_INFINITY};

    private static ByteBuffer ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.flip();
    }

    private Path writeSample() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "naïve \"quoted\" ✓");
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, List.of(
                TensorEntry.floats("w32", TensorDType.F32, new long[] {2, 3}, F32_VALUES::clone),
                TensorEntry.floats("w16", TensorDType.F16, new long[] {5}, F16_VALUES::clone),
                TensorEntry.floats("wbf", TensorDType.BF16, new long[] {2, 2}, BF16_VALUES::clone),
                TensorEntry.floats("w64", TensorDType.F64, new long[] {2}, () -> new float[] {0.1f, -7f}),
                TensorEntry.bytes("codes", TensorDType.U8, new long[] {5}, () -> ByteBuffer.wrap(new byte[] {0, 1, 127, (byte) 128, (byte) 255})),
                TensorEntry.bytes("index", TensorDType.I32, new long[] {3}, () -> ints(-1, 0, Integer.MAX_VALUE)),
                TensorEntry.floats("scalar", TensorDType.F32, new long[] {}, () -> new float[] {42f}),
                TensorEntry.floats("empty", TensorDType.F16, new long[] {0, 4}, () -> new float[0])), metadata);
        return file;
    }

    @Test
    void writesAndReadsBackEveryKindOfTensorWithMetadata() throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(writeSample())) {
            assertEquals(List.of("format", "note"), new ArrayList<>(reader.metadata().keySet()));
            assertEquals("naïve \"quoted\" ✓", reader.metadata().get("note"));

            List<String> names = reader.tensors().stream().map(TensorInfo::name).toList();
            assertEquals(List.of("w32", "w16", "wbf", "w64", "codes", "index", "scalar", "empty"), names);
            TensorInfo w32 = reader.get("w32");
            assertEquals(new TensorInfo("w32", TensorDType.F32, new long[] {2, 3}, 0, 24), w32);
            assertEquals(6, w32.elementCount());
            assertEquals(new TensorInfo("w16", TensorDType.F16, new long[] {5}, 24, 34), reader.get("w16"));
            assertEquals(1, reader.get("scalar").elementCount());
            assertEquals(0, reader.get("empty").elementCount());

            assertArrayEquals(F32_VALUES, reader.readFloats("w32"));
            assertArrayEquals(new float[] {1.5f, -2.25f, 65504f, 5.9604645e-8f, 0.0999755859375f}, reader.readFloats("w16"));
            assertArrayEquals(new float[] {1f, -3.5f, 0.10009765625f, Float.NEGATIVE_INFINITY}, reader.readFloats("wbf"));
            assertArrayEquals(new float[] {0.1f, -7f}, reader.readFloats("w64"));
            assertArrayEquals(new float[] {42f}, reader.readFloats("scalar"));
            assertArrayEquals(new float[0], reader.readFloats("empty"));

            ByteBuffer codes = reader.readBytes("codes");
            assertEquals(5, codes.remaining());
            assertArrayEquals(new byte[] {0, 1, 127, (byte) 128, (byte) 255}, codes.array());
            ByteBuffer index = reader.readBytes("index");
            assertEquals(ByteOrder.LITTLE_ENDIAN, index.order());
            assertEquals(-1, index.getInt(0));
            assertEquals(0, index.getInt(4));
            assertEquals(Integer.MAX_VALUE, index.getInt(8));
            // F16 raw bytes: 1.5 is 0x3E00, stored low byte first
            ByteBuffer w16 = reader.readBytes("w16");
            assertEquals(0x3E00, w16.getShort(0));
        }
    }

    @Test
    void layoutMatchesTheReferenceWriter() throws IOException {
        Path file = dir.resolve("one.safetensors");
        SafetensorsWriter.write(file, List.of(TensorEntry.floats("a", TensorDType.F32, new long[] {2}, () -> new float[] {1f, 2f})),
                Map.of("format", "pt"));
        // What the reference Python/Rust implementation writes for the same input: compact JSON, header padded to 8.
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        ByteBuffer expected = ByteBuffer.allocate(8 + padded.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded.length()).put(padded.getBytes(StandardCharsets.US_ASCII)).putFloat(1f).putFloat(2f);
        assertArrayEquals(expected.array(), Files.readAllBytes(file));
    }

    @Test
    void readsIntoACallersDirectBufferAtItsPosition() throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(writeSample())) {
            FloatBuffer dst = ByteBuffer.allocateDirect(4 * 20).order(ByteOrder.nativeOrder()).asFloatBuffer();
            dst.position(3);
            reader.readFloats("wbf", dst);
            assertEquals(7, dst.position());
            reader.readFloats("w32", dst);
            assertEquals(13, dst.position());
            float[] got = new float[13];
            dst.flip().get(got);
            assertArrayEquals(new float[] {0, 0, 0, 1f, -3.5f, 0.10009765625f, Float.NEGATIVE_INFINITY,
                    1.5f, -2.25f, 3.4028235e38f, Float.MIN_VALUE, -0f, 0.1f}, got);

            FloatBuffer tooSmall = FloatBuffer.allocate(5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader.readFloats("w32", tooSmall));
            assertEquals("buffer has room for 5 floats but tensor 'w32' has 6", e.getMessage());
        }
    }

    @Test
    void windowsSmallerThanATensorSplitItBetweenWholeElements() throws IOException {
        float[] values = new float[37];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 1.25f - 20f;
        }
        Path file = dir.resolve("windows.safetensors");
        // "odd" is 2 bytes, so every later tensor starts at an offset that is not a multiple of 4 or 8.
        SafetensorsWriter.write(file, List.of(
                TensorEntry.floats("odd", TensorDType.F16, new long[] {1}, () -> new float[] {9f}),
                TensorEntry.floats("f32", TensorDType.F32, new long[] {37}, values::clone),
                TensorEntry.floats("f16", TensorDType.F16, new long[] {37}, values::clone),
                TensorEntry.floats("bf16", TensorDType.BF16, new long[] {37}, values::clone),
                TensorEntry.floats("f64", TensorDType.F64, new long[] {37}, values::clone)), Map.of());
        // A 12-byte window holds 3 F32, 6 F16, but only 1 F64 (the step is cut to 8 bytes).
        try (SafetensorsReader reader = SafetensorsReader.open(file, 12)) {
            for (String name : List.of("f32", "f16", "bf16", "f64")) {
                assertArrayEquals(values, reader.readFloats(name), name);
                assertEquals(reader.get(name).byteCount(), reader.readBytes(name).remaining(), name);
            }
        }
    }

    @Test
    void askingForAMissingTensorOrIntsAsFloatsNamesFileAndTensor() throws IOException {
        Path file = writeSample();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertTrue(reader.find("w32").isPresent());
            assertFalse(reader.find("x").isPresent());
            BadInputException missing = assertThrows(BadInputException.class, () -> reader.get("x"));
            assertEquals(file + ": no tensor named 'x'", missing.getMessage());
            BadInputException ints = assertThrows(BadInputException.class, () -> reader.readFloats("index"));
            assertEquals(file + ": tensor 'index' is I32; only F64, F32, F16 and BF16 tensors can be read as floats",
                    ints.getMessage());
        }
    }
}
