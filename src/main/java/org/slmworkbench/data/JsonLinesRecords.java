package org.slmworkbench.data;

import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;

/** JSON Lines: one object per line, the text in a chosen field; blank lines are skipped. */
public final class JsonLinesRecords implements Records {
    private final Path file;
    private final String field;
    private final TextCursor lines;

    JsonLinesRecords(Path file, String field) {
        this.file = file;
        this.field = field;
        this.lines = new TextCursor(file);
    }

    @Override
    public String next() {
        String line = lines.readNonBlankLine(MAX_RECORD_CHARS);
        return line == null ? null : text(line, field, file, lines.lastLine());
    }

    /**
     * The text of a line that must hold exactly one JSON object; public for files read elsewhere (a
     * cluster's file system), so that their lines are checked and reported as a local file's are.
     */
    public static String text(String line, String field, Path file, long number) {
        JsonReader json = new JsonReader(new StringReader(line));
        try {
            String text = JsonRecord.text(json, field, file, "line " + number);
            json.peek(); // anything after the object fails here
            return text;
        } catch (IOException e) {
            throw JsonRecord.invalid(file, number, e);
        }
    }

    @Override
    public void close() {
        lines.close();
    }
}
