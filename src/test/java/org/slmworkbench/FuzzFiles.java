package org.slmworkbench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Files made from fuzzer input, and the one rule every fuzz test checks: a parser either reads its
 * input or refuses it with a {@link BadInputException} naming where the input lies. Anything else
 * escapes to Jazzer as a finding: another exception, an error such as OutOfMemoryError, a hang.
 */
public final class FuzzFiles {
    /** Under the build folder, one per fuzz test class, so each execution overwrites the last. */
    private static final Path ROOT = Path.of("target", "fuzz-files");

    private FuzzFiles() {}

    /** A fresh, empty folder for one fuzz test, reused by each of its executions. */
    public static Path folder(Class<?> fuzzTest) {
        Path dir = ROOT.resolve(fuzzTest.getSimpleName()).toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                try (var walk = Files.walk(dir)) {
                    for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
                        if (!p.equals(dir)) {
                            Files.delete(p);
                        }
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A safetensors file from fuzzer input. Byte 0 chooses the form: even, the rest is the whole
     * file; odd, the rest is a header, a NUL byte and the data area, and the 8-byte length prefix
     * is computed, so that mutations of the header reach the JSON parser instead of the length check.
     */
    public static byte[] safetensors(byte[] input) {
        if (input.length == 0 || (input[0] & 1) == 0) {
            return input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        }
        int nul = 1;
        while (nul < input.length && input[nul] != 0) {
            nul++;
        }
        int headerLength = nul - 1;
        int dataLength = Math.max(0, input.length - nul - 1);
        ByteBuffer file = ByteBuffer.allocate(8 + headerLength + dataLength).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(headerLength).put(input, 1, headerLength);
        if (dataLength > 0) {
            file.put(input, nul + 1, dataLength);
        }
        return file.array();
    }

    /** Runs {@code parse}; a BadInputException passes if its message names {@code where}, anything else escapes. */
    public static void readOrRefuse(Path where, IoRunnable parse) throws IOException {
        try {
            parse.run();
        } catch (BadInputException e) {
            assertTrue(e.getMessage().contains(where.toString()), () -> "message does not name " + where + ": " + e.getMessage());
        }
    }

    /** A parse that may throw IOException, which is a finding here too (every input is a readable file). */
    @FunctionalInterface
    public interface IoRunnable {
        void run() throws IOException;
    }
}
