package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

/** Broken and hostile GGUF files: each gives one BadInputException naming the file and the problem. */
class GgufValidationTest {
    @TempDir
    Path dir;

    /** Raw GGUF bytes, little-endian, built field by field. */
    private static final class Raw {
        final ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

        Raw header(long tensors, long kvs) {
            b.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(tensors).putLong(kvs);
            return this;
        }

        Raw string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.putLong(bytes.length).put(bytes);
            return this;
        }

        Raw tensor(String name, long[] dims, int type, long offset) {
            string(name).putInt(dims.length);
            for (long d : dims) {
                b.putLong(d);
            }
            b.putInt(type).putLong(offset);
            return this;
        }

        Raw putInt(int v) {
            b.putInt(v);
            return this;
        }

        Raw putLong(long v) {
            b.putLong(v);
            return this;
        }

        /** Pads to 32 and adds {@code dataBytes} zero bytes. */
        byte[] withData(int dataBytes) {
            int start = (b.position() + 31) / 32 * 32;
            return Arrays.copyOf(b.array(), start + dataBytes);
        }
    }

    private String problem(byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("m.gguf"), bytes);
        BadInputException e = assertThrows(BadInputException.class, () -> GgufReader.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage().substring(file.toString().length() + 2);
    }

    @Test
    void missingFileAndFolder() throws IOException {
        BadInputException none = assertThrows(BadInputException.class, () -> GgufReader.open(dir.resolve("no.gguf")));
        assertEquals(dir.resolve("no.gguf") + ": no such file", none.getMessage());
        BadInputException folder = assertThrows(BadInputException.class, () -> GgufReader.open(dir));
        assertEquals(dir + ": is a folder, not a GGUF file", folder.getMessage());
    }

    @Test
    void notGgufAndOtherVersions() throws IOException {
        assertEquals("is not a GGUF file (it does not start with the bytes GGUF)", problem("GGML....".getBytes()));
        assertEquals("is not a GGUF file (it does not start with the bytes GGUF)", problem(new byte[2]));
        byte[] v2 = new Raw().header(0, 0).withData(0);
        v2[4] = 2;
        assertEquals("is GGUF version 2; this reader reads version 3", problem(v2));
    }

    @Test
    void countsAndLengthsBeyondTheFile() throws IOException {
        assertTrue(problem(new Raw().header(0, 1L << 40).withData(0)).startsWith("claims 1099511627776 key/values, more than"));
        assertTrue(problem(new Raw().header(-1, 0).withData(0)).startsWith("claims 18446744073709551615 tensors"));
        byte[] longKey = new Raw().header(0, 1).putLong(1L << 50).withData(64);
        assertTrue(problem(longKey).startsWith("key 0 at byte 24 claims 1125899906842624 bytes, but only"), problem(longKey));
        byte[] longArray = new Raw().header(0, 1).string("k").putInt(9).putInt(8).putLong(1L << 33).withData(0);
        assertTrue(problem(longArray).startsWith("claims 8589934592 elements in the array 'k'"), problem(longArray));
        byte[] cut = Arrays.copyOf(new Raw().header(0, 1).string("k").putInt(4).putInt(7).withData(0), 24 + 9 + 4 + 2);
        assertTrue(problem(cut).contains("inside the header"), problem(cut));
    }

    @Test
    void badValues() throws IOException {
        assertEquals("key 'k' has value type 13, which GGUF does not define",
                problem(new Raw().header(0, 1).string("k").putInt(13).withData(0)));
        assertEquals("key 'k' is an array of arrays, which this reader does not read",
                problem(new Raw().header(0, 1).string("k").putInt(9).putInt(9).putLong(0).withData(0)));
        assertEquals("has the key 'k' twice",
                problem(new Raw().header(0, 2).string("k").putInt(4).putInt(1).string("k").putInt(4).putInt(1).withData(0)));
        assertEquals("general.alignment must be a UINT32 power of two",
                problem(new Raw().header(0, 1).string("general.alignment").putInt(4).putInt(24).withData(0)));
        byte[] badUtf8 = new Raw().header(0, 1).putLong(1).withData(64);
        badUtf8[32] = (byte) 0xC3;
        assertEquals("key 0 at byte 24 is not valid UTF-8", problem(Arrays.copyOf(badUtf8, 33 + 8)));
    }

    @Test
    void badTensorInfos() throws IOException {
        assertEquals("tensor 't' has 5 dimensions; GGUF allows 1..4",
                problem(new Raw().header(1, 0).tensor("t", new long[] {1, 1, 1, 1, 1}, 0, 0).withData(4)));
        assertEquals("tensor 't' has dimension 1 of 0", problem(new Raw().header(1, 0).tensor("t", new long[] {4, 0}, 0, 0).withData(16)));
        assertTrue(problem(new Raw().header(1, 0).tensor("t", new long[] {4}, 12, 0).withData(16))
                .startsWith("tensor 't' has ggml type 12, not one this reader handles"));
        assertEquals("tensor 't' has rows of 48 values, not whole blocks of 32 as Q8_0 needs",
                problem(new Raw().header(1, 0).tensor("t", new long[] {48}, 8, 0).withData(64)));
        assertEquals("tensor 't' of dimensions [4611686018427387904, 4] is too large to address",
                problem(new Raw().header(1, 0).tensor("t", new long[] {1L << 62, 4}, 0, 0).withData(0)));
        assertEquals("tensor 't' starts at offset 4, not a multiple of the alignment 32",
                problem(new Raw().header(1, 0).tensor("t", new long[] {1}, 0, 4).withData(64)));
        assertEquals("has two tensors named 't'", problem(new Raw().header(2, 0).tensor("t", new long[] {1}, 0, 0)
                .tensor("t", new long[] {1}, 0, 32).withData(64)));
    }

    @Test
    void dataOutsideTheFileOrOverlapping() throws IOException {
        assertEquals("tensor 't' needs bytes 0..400 of the data section, which has 399 bytes; the file is truncated or corrupt",
                problem(new Raw().header(1, 0).tensor("t", new long[] {100}, 0, 0).withData(399)));
        assertEquals("tensor 't' needs bytes 9223372036854775776..9223372036854775780 of the data section, which has 64 bytes;"
                        + " the file is truncated or corrupt",
                problem(new Raw().header(1, 0).tensor("t", new long[] {1}, 0, Long.MAX_VALUE - 31).withData(64)));
        assertEquals("tensors 'a' and 'b' overlap in the data section", problem(new Raw().header(2, 0)
                .tensor("a", new long[] {16}, 0, 0).tensor("b", new long[] {1}, 0, 32).withData(64)));
    }
}
