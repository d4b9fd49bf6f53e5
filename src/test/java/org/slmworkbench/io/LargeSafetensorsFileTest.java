package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

/**
 * A 4.5 GiB file that costs almost no disk or time: it is sparse (RandomAccessFile.setLength) and
 * only the header and the few tensors read are written. It places tensors across the 2 GiB and
 * 4 GiB marks, beyond them, and one tensor too large for any Java array.
 */
class LargeSafetensorsFileTest {
    private static final int HEADER_BYTES = 512;
    private static final long DATA_START = 8 + HEADER_BYTES;
    private static final long TWO_GIB = 1L << 31;
    /** F16 elements in "huge": one more than a Java array may hold, 4 GiB of data. */
    private static final long HUGE_COUNT = 1L << 31;

    @TempDir
    static Path dir;
    static Path file;

    /** Data offsets: "across2g" starts 6 bytes before file position 2^31, so one float straddles it. */
    private static final long ACROSS_2G = TWO_GIB - DATA_START - 6;
    private static final long HUGE = ACROSS_2G + 64;
    private static final long BEYOND = HUGE + HUGE_COUNT * 2 + 3;

    private static final float[] FIRST = {1f, 2f, 3f};
    private static final float[] ACROSS = {0.5f, -1f, 7.25f, 1e30f, -0f, 3f, 4f, 5f};
    private static final float[] BEYOND_VALUES = {-2f, 0.15625f, 1024f, 3.5f, -0.5f};

    @BeforeAll
    static void writeSparseFile() throws IOException {
        String json = "{\"__metadata__\":{\"size\":\"4.5 GiB\"},"
                + entry("first", "F32", "[3]", 0, 12) + ","
                + entry("across2g", "F32", "[2,4]", ACROSS_2G, ACROSS_2G + 32) + ","
                + entry("huge", "F16", "[" + HUGE_COUNT + "]", HUGE, HUGE + HUGE_COUNT * 2) + ","
                + entry("beyond", "BF16", "[5]", BEYOND, BEYOND + 10) + "}";
        byte[] header = (json + " ".repeat(HEADER_BYTES - json.length())).getBytes(StandardCharsets.US_ASCII);
        file = dir.resolve("big.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(DATA_START + BEYOND + 10);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            write(ch, 0, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, HEADER_BYTES));
            write(ch, 8, ByteBuffer.wrap(header));
            write(ch, DATA_START, f32(FIRST));
            write(ch, DATA_START + ACROSS_2G, f32(ACROSS));
            ByteBuffer bf16 = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : BEYOND_VALUES) {
                bf16.putShort(HalfFloats.floatToBf16(v));
            }
            write(ch, DATA_START + BEYOND, bf16.flip());
        }
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private static ByteBuffer f32(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b;
    }

    private static void write(FileChannel ch, long position, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            ch.write(data, position + data.position());
        }
    }

    @Test
    void readsTensorsAcrossAndBeyondTwoGib() throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertTrue(Files.size(file) > 4L << 30);
            assertEquals("4.5 GiB", reader.metadata().get("size"));
            assertEquals(4, reader.tensors().size());
            assertArrayEquals(FIRST, reader.readFloats("first"));
            assertArrayEquals(ACROSS, reader.readFloats("across2g"));
            assertArrayEquals(BEYOND_VALUES, reader.readFloats("beyond"));
            assertEquals(HUGE_COUNT, reader.get("huge").elementCount());
        }
    }

    @Test
    void tensorSplitAcrossMappingWindowsAtTheTwoGibMark() throws IOException {
        // 12-byte windows: "across2g" is read as 3 + 3 + 2 floats, the first window ending past 2^31.
        try (SafetensorsReader reader = SafetensorsReader.open(file, 12)) {
            assertArrayEquals(ACROSS, reader.readFloats("across2g"));
            ByteBuffer raw = reader.readBytes("across2g");
            assertEquals(32, raw.remaining());
            assertEquals(7.25f, raw.getFloat(8));
            assertArrayEquals(BEYOND_VALUES, reader.readFloats("beyond"));
        }
    }

    @Test
    void tensorTooLargeForAJavaArrayIsRefusedClearly() throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            BadInputException floats = assertThrows(BadInputException.class, () -> reader.readFloats("huge"));
            assertEquals(file + ": tensor 'huge' has 2147483648 elements, more than one Java array or buffer can hold (2147483639)",
                    floats.getMessage());
            BadInputException bytes = assertThrows(BadInputException.class, () -> reader.readBytes("huge"));
            assertEquals(file + ": tensor 'huge' is 4294967296 bytes, more than one Java buffer can hold (2147483639)",
                    bytes.getMessage());
            assertThrows(IllegalArgumentException.class, () -> reader.readFloats("huge", FloatBuffer.allocate(16)));
        }
    }
}
