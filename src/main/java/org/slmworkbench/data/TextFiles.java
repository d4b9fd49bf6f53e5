package org.slmworkbench.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
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
public final class TextFiles {
    private static final int SNIFF_BYTES = 64 * 1024;
    private static final int ESCAPE = 0x1b;
    private static final int DELETE = 0x7f;
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    /** The longest string Java can hold, with a margin. */
    private static final int MAX_STRING_CHARS = Integer.MAX_VALUE - 16;

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
        return read(file, MAX_STRING_CHARS);
    }

    /** At most {@code maxChars} characters from the start of the file; the rest is never read. */
    static String read(Path file, long maxChars) {
        int limit = (int) Math.min(maxChars, MAX_STRING_CHARS);
        try (Reader in = open(file)) {
            // a UTF-8 file never has more characters than bytes, so this is the most it can need
            StringBuilder text = new StringBuilder((int) Math.min(Files.size(file), limit));
            char[] buffer = new char[8192];
            int n;
            while (text.length() < limit && (n = in.read(buffer, 0, Math.min(buffer.length, limit - text.length()))) != -1) {
                text.append(buffer, 0, n);
            }
            return text.toString();
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /**
     * A buffered UTF-8 reader over a text file that passed the checks (readable, not binary, not
     * UTF-16); malformed bytes read as U+FFFD and a leading byte-order mark is skipped.
     */
    static Reader open(Path file) {
        requireReadable(file);
        rejectBinary(file);
        try {
            return utf8Reader(Files.newInputStream(file));
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /**
     * The whole of a stream from some other file system (a cluster's), with the checks and decoding of
     * a local file; {@code name} names it in the message of a {@link BadInputException}.
     */
    public static String read(String name, InputStream stream) throws IOException {
        BufferedInputStream in = new BufferedInputStream(stream, SNIFF_BYTES);
        in.mark(SNIFF_BYTES);
        String problem = binaryProblem(in.readNBytes(SNIFF_BYTES));
        if (problem != null) {
            throw new BadInputException(name + ": " + problem);
        }
        in.reset();
        StringBuilder text = new StringBuilder();
        try (Reader reader = utf8Reader(in)) {
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) != -1) {
                text.append(buffer, 0, n);
            }
        }
        return text.toString();
    }

    private static Reader utf8Reader(InputStream in) throws IOException {
        // InputStreamReader replaces malformed input; Files.newBufferedReader would throw instead
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        reader.mark(1);
        if (reader.read() != BYTE_ORDER_MARK) {
            reader.reset();
        }
        return reader;
    }

    /** Sniffs the first {@link #SNIFF_BYTES} of a file without reading the rest. */
    static void rejectBinary(Path file) {
        String problem = binaryProblem(file);
        if (problem != null) {
            throw new BadInputException(file, problem);
        }
    }

    /** Whether the start of the file looks like UTF-8 text (for skipping other files in source folders). */
    static boolean looksLikeText(Path file) {
        return binaryProblem(file) == null;
    }

    /** The file's extension in lower case, without the dot; empty if it has none. */
    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static BadInputException cannotRead(Path file, IOException e) {
        return new BadInputException(file, "cannot be read: " + e.getMessage(), e);
    }

    /** Why the file does not look like UTF-8 text, or null if it does. */
    private static String binaryProblem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return binaryProblem(in.readNBytes(SNIFF_BYTES));
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** Why text starting with these bytes does not look like UTF-8 text, or null if it does. */
    private static String binaryProblem(byte[] bytes) {
        int sniffed = bytes.length;
        if (sniffed >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            return "is UTF-16 encoded; expected UTF-8 text (save it as UTF-8)";
        }
        int control = 0;
        for (int i = 0; i < sniffed; i++) {
            int b = bytes[i] & 0xFF;
            if (b == 0) {
                return "looks binary (NUL bytes at offset " + i + "); expected a text or log file";
            }
            if (isControl(b)) {
                control++;
            }
        }
        // More than 10% control bytes: compressed, encrypted or some other binary format.
        if (control * 10L > sniffed) {
            return String.format(Locale.ROOT, "looks binary (%d%% control bytes in the first %d KiB); expected a text or log file",
                    Math.round(100.0 * control / sniffed), Math.max(1, sniffed / 1024));
        }
        return null;
    }

    /** Control bytes that do not occur in text; tab, newlines, form feed and ANSI escapes do. */
    private static boolean isControl(int b) {
        return (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != ESCAPE) || b == DELETE;
    }
}
