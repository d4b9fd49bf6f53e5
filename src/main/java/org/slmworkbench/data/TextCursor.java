package org.slmworkbench.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import org.slmworkbench.BadInputException;

/**
 * A text file read a character or a line at a time, counting lines, for the record parsers. Its own
 * buffer avoids the lock that {@code BufferedReader.read()} takes per character.
 */
final class TextCursor implements AutoCloseable {
    private final Path file;
    private final Reader reader;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private long line = 1;
    private long lastLine;

    /** @throws BadInputException if the file is missing, unreadable or binary */
    TextCursor(Path file) {
        this.file = file;
        this.reader = TextFiles.open(file);
    }

    /** The 1-based line of the next character. */
    long line() {
        return line;
    }

    /** The next character, or -1 at the end of the file. */
    int read() {
        if (position == limit && !fill()) {
            return -1;
        }
        char c = buffer[position++];
        if (c == '\n') {
            line++;
        }
        return c;
    }

    /** The 1-based number of the line that {@link #readNonBlankLine} returned last. */
    long lastLine() {
        return lastLine;
    }

    /** The next line that is not blank, without its line break, or null at the end. */
    String readNonBlankLine(int maxChars) {
        String text;
        do {
            lastLine = line;
            text = readLine(maxChars);
        } while (text != null && text.isBlank());
        return text;
    }

    /**
     * The next line without its line break ({@code \n} or {@code \r\n}), or null at the end.
     *
     * @throws BadInputException naming the line if it is longer than {@code maxChars}
     */
    String readLine(int maxChars) {
        StringBuilder text = null;
        while (position < limit || fill()) {
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            text = text == null ? new StringBuilder(position - start) : text;
            text.append(buffer, start, position - start);
            if (text.length() > maxChars) {
                throw new BadInputException(file, "line " + line + " is longer than " + maxChars + " characters");
            }
            if (position < limit) {
                position++;
                line++;
                return withoutCarriageReturn(text);
            }
        }
        return text == null ? null : withoutCarriageReturn(text);
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw TextFiles.cannotRead(file, e);
        }
    }

    private boolean fill() {
        try {
            limit = reader.read(buffer);
        } catch (IOException e) {
            throw TextFiles.cannotRead(file, e);
        }
        position = 0;
        if (limit <= 0) {
            limit = 0;
            return false;
        }
        return true;
    }

    private static String withoutCarriageReturn(StringBuilder text) {
        int end = text.length();
        return end > 0 && text.charAt(end - 1) == '\r' ? text.substring(0, end - 1) : text.toString();
    }
}
