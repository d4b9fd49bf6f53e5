package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

/** Broken and hostile files: each must give a BadInputException that names the file and the problem. */
class SafetensorsValidationTest {
    @TempDir
    Path dir;

    private String problemOpening(Path file) {
        BadInputException e = assertThrows(BadInputException.class, () -> SafetensorsReader.open(file).close());
        String prefix = file + ": ";
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        return e.getMessage().substring(prefix.length());
    }

    private String problemWithHeader(String json, int dataBytes) throws IOException {
        return problemOpening(RawSafetensors.withHeader(dir.resolve("model.safetensors"), json, dataBytes));
    }

    private static String tensor(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    @Test
    void missingFileAndFolder() {
        assertEquals("no such file", problemOpening(dir.resolve("nope.safetensors")));
        assertEquals("is a folder, not a safetensors file", problemOpening(dir));
    }

    @Test
    void fileTooShortForTheLengthPrefix() throws IOException {
        Path file = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertEquals("file is 3 bytes, too short for a safetensors header (at least 8 bytes); the file may be truncated",
                problemOpening(file));
    }

    @Test
    void fileShorterThanItsHeaderLength() throws IOException {
        Path file = RawSafetensors.withClaimedLength(dir.resolve("cut.safetensors"), 1000, "{\"a\":".getBytes());
        assertEquals("header length 1000 bytes runs past the end of the file (file is 13 bytes); the file may be truncated",
                problemOpening(file));
    }

    @Test
    void absurdHeaderLengthSaysClaimAndFileSize() throws IOException {
        Path file = RawSafetensors.withClaimedLength(dir.resolve("huge.safetensors"), 1L << 62, new byte[8]);
        assertEquals("absurd header length 4611686018427387904 bytes (file is 16 bytes, headers are at most 100 MiB); "
                + "this does not look like a safetensors file", problemOpening(file));
        // A length with the top bit set is an unsigned number beyond 2^63, not a negative one.
        Path negative = RawSafetensors.withClaimedLength(dir.resolve("neg.safetensors"), -1, new byte[8]);
        assertTrue(problemOpening(negative).startsWith("absurd header length 18446744073709551615 bytes (file is 16 bytes"));
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        assertTrue(problemWithHeader("{not json", 0).startsWith("header is not valid JSON: "));
        assertTrue(problemWithHeader("{\"a\":{'dtype':\"F32\"}}", 0).startsWith("header is not valid JSON: "));
        assertEquals("header is not a JSON object", problemWithHeader("[1,2]", 0));
        assertEquals("header is not valid JSON: syntax error at line 1 column 3 path $.",
                problemWithHeader("{not json", 0));
        assertEquals("header has more after its JSON object", problemWithHeader("{} {}", 0));
        Path badUtf8 = RawSafetensors.withClaimedLength(dir.resolve("utf.safetensors"), 4,
                new byte[] {'{', '"', (byte) 0xC3, '}'});
        assertEquals("header is not valid UTF-8 text", problemOpening(badUtf8));
    }

    @Test
    void headerPaddedWithSpacesAndEmptyIsFine() throws IOException {
        Path file = RawSafetensors.withHeader(dir.resolve("empty.safetensors"), "{}      ", 0);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertEquals(List.of(), reader.tensors());
            assertEquals(Map.of(), reader.metadata());
        }
    }

    @Test
    void unknownDtype() throws IOException {
        assertEquals("tensor 'w' has unknown dtype 'F8_E4M3' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)",
                problemWithHeader("{" + tensor("w", "F8_E4M3", "[4]", "[0,4]") + "}", 4));
        assertEquals("tensor 'w' dtype is a number, not a string",
                problemWithHeader("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
    }

    @Test
    void badShapes() throws IOException {
        assertEquals("tensor 'w' has a negative dimension in shape [2, -3]",
                problemWithHeader("{" + tensor("w", "F32", "[2,-3]", "[0,24]") + "}", 24));
        assertEquals("tensor 'w' shape [4294967296, 4294967296] is too large: its size overflows 64 bits",
                problemWithHeader("{" + tensor("w", "F32", "[4294967296,4294967296]", "[0,4]") + "}", 4));
        assertEquals("tensor 'w' shape [1152921504606846976, 8] is too large: its size overflows 64 bits",
                problemWithHeader("{" + tensor("w", "F32", "[1152921504606846976,8]", "[0,4]") + "}", 4));
        assertEquals("tensor 'w' shape contains 99999999999999999999, expected a whole number within 64 bits",
                problemWithHeader("{" + tensor("w", "F32", "[99999999999999999999]", "[0,4]") + "}", 4));
        assertEquals("tensor 'w' shape contains 2.5, expected a whole number within 64 bits",
                problemWithHeader("{" + tensor("w", "F32", "[2.5]", "[0,4]") + "}", 4));
        assertEquals("tensor 'w' shape contains a string, expected whole numbers",
                problemWithHeader("{" + tensor("w", "F32", "[\"2\"]", "[0,8]") + "}", 8));
        assertEquals("tensor 'w' shape is a number, not an array of numbers",
                problemWithHeader("{" + tensor("w", "F32", "2", "[0,8]") + "}", 8));
        String manyDims = "[" + "1,".repeat(64) + "1]";
        assertEquals("tensor 'w' shape has more than 64 entries",
                problemWithHeader("{" + tensor("w", "F32", manyDims, "[0,4]") + "}", 4));
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        assertEquals("tensor 'lm_head.weight' data_offsets [0, 9999999] run past the end of the file "
                        + "(data area is 1024 bytes); the file may be truncated",
                problemWithHeader("{" + tensor("lm_head.weight", "U8", "[9999999]", "[0,9999999]") + "}", 1024));
        assertEquals("tensor 'w' data_offsets [8, 4] are not a valid range (need 0 <= begin <= end)",
                problemWithHeader("{" + tensor("w", "F32", "[1]", "[8,4]") + "}", 16));
        assertEquals("tensor 'w' data_offsets [-4, 0] are not a valid range (need 0 <= begin <= end)",
                problemWithHeader("{" + tensor("w", "F32", "[1]", "[-4,0]") + "}", 16));
        assertEquals("tensor 'w' data_offsets has more than 2 entries",
                problemWithHeader("{" + tensor("w", "F32", "[1]", "[0,4,8]") + "}", 16));
        assertEquals("tensor 'w' data_offsets [4] should be two numbers [begin, end]",
                problemWithHeader("{" + tensor("w", "F32", "[1]", "[4]") + "}", 16));
    }

    @Test
    void overlappingTensors() throws IOException {
        assertEquals("tensors 'a' data_offsets [0, 16] and 'b' data_offsets [8, 24] overlap",
                problemWithHeader("{" + tensor("b", "F32", "[4]", "[8,24]") + "," + tensor("a", "F32", "[4]", "[0,16]") + "}", 24));
        // Touching ranges and empty tensors inside another's range hold no common byte.
        Path fine = RawSafetensors.withHeader(dir.resolve("fine.safetensors"), "{" + tensor("a", "F32", "[2]", "[0,8]") + ","
                + tensor("b", "F32", "[2]", "[8,16]") + "," + tensor("e", "F32", "[0]", "[4,4]") + "}", 16);
        try (SafetensorsReader reader = SafetensorsReader.open(fine)) {
            assertEquals(3, reader.tensors().size());
        }
    }

    @Test
    void sizeThatDoesNotMatchShape() throws IOException {
        assertEquals("tensor 'w' data_offsets [0, 16] hold 16 bytes but F32 shape [2, 3] needs 24",
                problemWithHeader("{" + tensor("w", "F32", "[2,3]", "[0,16]") + "}", 24));
    }

    @Test
    void badMetadataAndEntries() throws IOException {
        assertEquals("__metadata__ value for 'epochs' is a number; metadata values must be strings",
                problemWithHeader("{\"__metadata__\":{\"format\":\"pt\",\"epochs\":3}}", 0));
        assertEquals("__metadata__ value for 'tags' is an array; metadata values must be strings",
                problemWithHeader("{\"__metadata__\":{\"tags\":[\"a\"]}}", 0));
        assertEquals("__metadata__ is a string, not a JSON object", problemWithHeader("{\"__metadata__\":\"x\"}", 0));
        assertEquals("tensor 'w' lacks data_offsets", problemWithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4));
        assertEquals("tensor 'w' is described by a number, not a JSON object", problemWithHeader("{\"w\":3}", 4));
        assertEquals("tensor 'w' appears twice in the header", problemWithHeader(
                "{" + tensor("w", "F32", "[1]", "[0,4]") + "," + tensor("w", "F32", "[1]", "[4,8]") + "}", 8));
    }

    @Test
    void fileThatShrinksAfterOpeningIsReportedNotMapped() throws IOException {
        Path file = dir.resolve("shrinking.safetensors");
        SafetensorsWriter.write(file, List.of(TensorEntry.floats("a", TensorDType.F32, new long[] {4}, () -> new float[4]),
                TensorEntry.floats("b", TensorDType.F32, new long[] {4}, () -> new float[4])), Map.of());
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            long size = Files.size(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(size - 4);
            }
            assertEquals(4, reader.readFloats("a").length);
            BadInputException e = assertThrows(BadInputException.class, () -> reader.readFloats("b"));
            assertEquals(file + ": file shrank to " + (size - 4) + " bytes while open; tensor 'b' is no longer all there",
                    e.getMessage());
        }
    }

    /**
     * Every truncation and many random byte flips of a valid file: opening and reading must either
     * work or fail with BadInputException, never with anything else (OOM, NegativeArraySize, parse errors).
     */
    @Test
    void damagedFilesFailOnlyWithBadInput() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafetensorsWriter.write(good, List.of(
                TensorEntry.floats("a", TensorDType.F32, new long[] {3, 2}, () -> new float[6]),
                TensorEntry.floats("b", TensorDType.BF16, new long[] {4}, () -> new float[4]),
                TensorEntry.bytes("c", TensorDType.I64, new long[] {1}, () -> ByteBuffer.allocate(8))),
                Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(good);
        for (int length = 0; length < bytes.length; length++) {
            openAndReadEverything(Files.write(dir.resolve("cut" + length), Arrays.copyOf(bytes, length)));
        }
        Path damaged = dir.resolve("damaged.safetensors");
        Random random = new Random(42);
        for (int i = 0; i < 3000; i++) {
            byte[] copy = bytes.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            }
            // Overwritten in place: truncating and rewriting a file is slow on some file systems.
            Files.write(damaged, copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            openAndReadEverything(damaged);
        }
    }

    private static void openAndReadEverything(Path file) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (TensorInfo t : reader.tensors()) {
                reader.readBytes(t.name());
                if (t.dtype().isFloatingPoint()) {
                    reader.readFloats(t.name());
                }
            }
        } catch (BadInputException expected) {
            // the only acceptable way to fail
        } catch (RuntimeException | Error e) {
            fail("damaged file gave " + e, e);
        }
    }
}
