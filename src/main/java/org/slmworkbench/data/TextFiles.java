package org.slmworkbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slmworkbench.BadInputException;

/**
 * Reading user-supplied text files: existence and permission checks, a binary sniff of the first
 * 64 KiB, and lenient UTF-8 decoding (malformed bytes become U+FFFD, never an exception). Every
 * problem is a {@link BadInputException} naming the file.
 */
final class TextFiles {
    private static final int SNIFF_BYTES = 64 * 1024;
    private static final int ESCAPE = 0x1b;
    private static final int DELETE = 0x7f;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private TextFiles() {
    }

    static void requireReadable(Path path) {
        if (!Files.exists(path)) {
            throw new BadInputException(path, "does not exist");
        }
        if (!Files.isReadable(path)) {
            throw new BadInputException(path, "is not readable (check its permissions)");
        }
    }

    /** The whole file as text; rejects missing, unreadable, binary and UTF-16 files. */
    static String read(Path file) {
        requireReadable(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read: " + e.getMessage(), e);
        }
        rejectBinary(file, bytes, bytes.length);
        return decode(bytes, bytes.length);
    }

    /** Sniffs the first {@link #SNIFF_BYTES} of a file without reading the rest. */
    static void rejectBinary(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SNIFF_BYTES);
            rejectBinary(file, head, head.length);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static void rejectBinary(Path file, byte[] bytes, int length) {
        int sniffed = Math.min(length, SNIFF_BYTES);
        if (sniffed >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            throw new BadInputException(file, "is UTF-16 encoded; expected UTF-8 text (save it as UTF-8)");
        }
        int control = 0;
        for (int i = 0; i < sniffed; i++) {
            int b = bytes[i] & 0xFF;
            if (b == 0) {
                throw new BadInputException(file, "looks binary (NUL bytes at offset " + i
                        + "); expected a text or log file");
            }
            if (isControl(b)) {
                control++;
            }
        }
        // More than 10% control bytes: compressed, encrypted or some other binary format.
        if (control * 10L > sniffed) {
            throw new BadInputException(file, String.format(Locale.ROOT,
                    "looks binary (%d%% control bytes in the first %d KiB); expected a text or log file",
                    Math.round(100.0 * control / sniffed), Math.max(1, sniffed / 1024)));
        }
    }

    /** UTF-8 with malformed input replaced, and without a leading byte-order mark. */
    private static String decode(byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    /** Control bytes that do not occur in text; tab, newlines, form feed and ANSI escapes do. */
    private static boolean isControl(int b) {
        return (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != ESCAPE) || b == DELETE;
    }
}
