package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer puts where, byte for byte from the spec, and that the reader gives every value and tensor back. */
class GgufRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void aSmallFileHasTheSpecsLayoutByteForByte() throws IOException {
        Path file = dir.resolve("one.gguf");
        GgufWriter.write(file, Map.of("a", GgufValue.u32(7)),
                List.of(GgufTensor.floats("t", new long[] {2}, GgufType.F32, () -> new float[] {1f, -2f})));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x46554747, b.getInt(), "magic GGUF");
        assertEquals(3, b.getInt(), "version");
        assertEquals(1, b.getLong(), "tensor count");
        assertEquals(2, b.getLong(), "kv count: a and the alignment the writer adds");
        assertEquals(1, b.getLong());
        assertEquals('a', b.get());
        assertEquals(GgufValueType.UINT32.id(), b.getInt());
        assertEquals(4, GgufValueType.UINT32.id());
        assertEquals(7, b.getInt());
        assertEquals("general.alignment".length(), b.getLong());
        b.position(b.position() + "general.alignment".length());
        assertEquals(4, b.getInt());
        assertEquals(32, b.getInt());
        assertEquals(1, b.getLong());
        assertEquals('t', b.get());
        assertEquals(1, b.getInt(), "n_dims");
        assertEquals(2, b.getLong(), "ne[0]");
        assertEquals(0, b.getInt(), "F32 is ggml type 0");
        assertEquals(0, b.getLong(), "offset");
        int dataStart = (b.position() + 31) / 32 * 32;
        b.position(dataStart);
        assertEquals(1f, b.getFloat());
        assertEquals(-2f, b.getFloat());
        assertEquals(dataStart + 32, b.capacity(), "the last tensor is padded to the alignment too");
    }

    @Test
    void everyValueTypeAndTensorTypeComesBack() throws IOException {
        Map<String, GgufValue> kv = new LinkedHashMap<>();
        kv.put("u8", new GgufValue(GgufValueType.UINT8, null, 200L));
        kv.put("i8", new GgufValue(GgufValueType.INT8, null, -5L));
        kv.put("u16", new GgufValue(GgufValueType.UINT16, null, 60000L));
        kv.put("i16", new GgufValue(GgufValueType.INT16, null, -300L));
        kv.put("u32", GgufValue.u32(4_000_000_000L));
        kv.put("i32", new GgufValue(GgufValueType.INT32, null, -70000L));
        kv.put("u64", new GgufValue(GgufValueType.UINT64, null, -1L));
        kv.put("i64", new GgufValue(GgufValueType.INT64, null, Long.MIN_VALUE));
        kv.put("f32", GgufValue.f32(0.1));
        kv.put("f64", new GgufValue(GgufValueType.FLOAT64, null, 0.1));
        kv.put("bool", GgufValue.bool(true));
        kv.put("string", GgufValue.string("Ġhello ✓"));
        kv.put("strings", GgufValue.strings(List.of("a b", "", "Ċ")));
        kv.put("ints", GgufValue.i32s(new int[] {1, -3, 3}));
        Random r = new Random(3);
        float[] values = new float[64 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextGaussian();
        }
        List<GgufTensor> tensors = List.of(
                GgufTensor.floats("f32", new long[] {64, 3}, GgufType.F32, () -> values),
                GgufTensor.floats("f16", new long[] {64, 3}, GgufType.F16, () -> values),
                GgufTensor.floats("bf16", new long[] {64, 3}, GgufType.BF16, () -> values),
                GgufTensor.floats("q8_0", new long[] {64, 3}, GgufType.Q8_0, () -> values),
                GgufTensor.floats("q4_0", new long[] {64, 3}, GgufType.Q4_0, () -> values));
        Path file = dir.resolve("all.gguf");
        GgufWriter.write(file, kv, tensors);
        try (GgufReader reader = GgufReader.open(file)) {
            assertEquals(3, reader.version());
            kv.forEach((k, v) -> assertEquals(v, reader.metadata().get(k), k));
            assertEquals(32, reader.metadata().get("general.alignment").asLong());
            for (GgufTensorInfo t : reader.tensors()) {
                assertEquals(0, t.offset() % 32, t.name());
                assertArrayEquals(new long[] {64, 3}, t.dims());
            }
            assertArrayEquals(values, reader.readFloats("f32"));
            assertEquals(GgufType.Q4_0, reader.get("q4_0").type());
            assertEquals(3 * 2 * QuantBlocks.Q4_0_BYTES, reader.get("q4_0").byteCount());
            for (int i = 0; i < values.length; i++) {
                assertEquals(HalfFloats.f16ToFloat(HalfFloats.floatToF16(values[i])), reader.readFloats("f16")[i]);
                assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(values[i])), reader.readFloats("bf16")[i]);
            }
            assertQuantizedLike(values, reader.readFloats("q8_0"), 127, 0.51);
            assertQuantizedLike(values, reader.readFloats("q4_0"), 8, 1.01);
            ByteBuffer q8 = ByteBuffer.allocate((int) reader.get("q8_0").byteCount());
            QuantBlocks.quantizeQ8_0(values, 0, values.length, q8);
            assertEquals(q8.flip(), reader.readBytes("q8_0"), "the bytes are QuantBlocks' own");
        }
    }

    /**
     * Each block's values within {@code steps} steps of the original, a step being the block's largest magnitude over
     * {@code levels}: half a step for Q8_0's rounding, a whole one for Q4_0, whose side opposite the largest value
     * stops at +7 steps.
     */
    private static void assertQuantizedLike(float[] original, float[] back, int levels, double steps) {
        for (int b = 0; b < original.length; b += 32) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(original[b + j]));
            }
            for (int j = 0; j < 32; j++) {
                assertEquals(original[b + j], back[b + j], amax / levels * steps + 1e-3 * amax, "value " + (b + j));
            }
        }
    }

    @Test
    void rowsThatAreNotWholeBlocksAreRefusedBeforeWriting() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GgufTensor.floats("w", new long[] {40, 2}, GgufType.Q8_0, () -> new float[80]));
    }
}
