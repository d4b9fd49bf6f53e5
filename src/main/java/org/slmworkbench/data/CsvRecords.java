package org.slmworkbench.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.BadInputException;

/**
 * CSV as RFC 4180 has it: a header row, comma-separated fields, quoted fields that may hold
 * commas, doubled quotes and line breaks, CRLF or LF line ends. Only the chosen column's field is
 * kept; the others are scanned past. Blank lines are skipped.
 */
final class CsvRecords implements Records {
    private static final int END = -1;

    private final Path file;
    private final TextCursor in;
    private final int column;
    private final int width;
    /** The fields of the record being read: all of them for the header, only the chosen column's after. */
    private final List<String> kept = new ArrayList<>();
    private long recordLine;

    CsvRecords(Path file, String wantedColumn) {
        this.file = file;
        this.in = new TextCursor(file);
        try {
            int headerWidth = readRecord(-1);
            if (headerWidth == 0) {
                throw new BadInputException(file, "is empty; expected a header row naming the columns, then rows");
            }
            List<TextColumn> columns = kept.stream().map(name -> new TextColumn(name, null, true)).toList();
            this.column = columns.indexOf(TextColumn.choose(file, columns, wantedColumn));
            this.width = headerWidth;
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public String next() {
        int fields = readRecord(column);
        if (fields != 0 && fields != width) {
            throw new BadInputException(file, "line " + recordLine + ": " + fields + " fields, but the header has " + width);
        }
        return fields == 0 ? null : kept.get(0);
    }

    @Override
    public void close() {
        in.close();
    }

    /**
     * Reads one record, keeping field {@code keep} in {@link #kept} (every field when -1).
     *
     * @return its number of fields; 0 at the end of the file
     */
    private int readRecord(int keep) {
        kept.clear();
        recordLine = in.line();
        int c = in.read();
        while (c == '\n' || c == '\r') { // a blank line
            endRecord(c);
            recordLine = in.line();
            c = in.read();
        }
        if (c == END) {
            return 0;
        }
        int field = 0;
        while (true) {
            StringBuilder text = keep == -1 || keep == field ? new StringBuilder() : null;
            c = c == '"' ? readQuoted(text) : readPlain(c, text);
            if (text != null) {
                kept.add(text.toString());
            }
            field++;
            if (c != ',') {
                endRecord(c);
                return field;
            }
            c = in.read();
        }
    }

    /** Reads an unquoted field whose first character is {@code c}; returns the character after it. */
    private int readPlain(int c, StringBuilder text) {
        while (c != ',' && !isLineEnd(c)) {
            append(text, c);
            c = in.read();
        }
        return c;
    }

    /** Reads a quoted field after its opening quote; returns the character after the closing quote. */
    private int readQuoted(StringBuilder text) {
        while (true) {
            int c = in.read();
            if (c == END) {
                throw new BadInputException(file, "line " + recordLine + ": a quoted field is never closed");
            }
            if (c == '"') {
                c = in.read();
                if (c != '"') {
                    if (c != ',' && !isLineEnd(c)) {
                        throw new BadInputException(file, "line " + in.line() + ": text after a closing quote"
                                + " (a quote inside a quoted field is written twice: \"\")");
                    }
                    return c;
                }
            }
            append(text, c);
        }
    }

    /** Consumes the rest of a CRLF line end. */
    private void endRecord(int c) {
        if (c == '\r' && in.read() != '\n') {
            throw new BadInputException(file, "line " + recordLine + ": a carriage return without a line feed ends a line");
        }
    }

    private void append(StringBuilder text, int c) {
        if (text == null) {
            return;
        }
        if (text.length() == MAX_RECORD_CHARS) {
            throw new BadInputException(file, "line " + recordLine + ": a field longer than " + MAX_RECORD_CHARS
                    + " characters (an unclosed quote?)");
        }
        text.append((char) c);
    }

    private static boolean isLineEnd(int c) {
        return c == '\n' || c == '\r' || c == END;
    }
}
