package org.slmworkbench.data;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import org.slmworkbench.BadInputException;

/**
 * A {@code .json} dataset: an array of objects, or an object whose first list holds them (such as
 * {@code {"data": [...]}}), streamed element by element. Many {@code .json} files on the hub are
 * JSON Lines instead; those are read as such.
 */
final class JsonDocumentRecords implements Records {
    private final Path file;
    private final String field;
    private final JsonReader json;

    private JsonDocumentRecords(Path file, String field) {
        this.file = file;
        this.field = field;
        this.json = new JsonReader(TextFiles.open(file));
        try {
            enterList();
        } catch (IOException e) {
            close();
            throw JsonRecord.invalid(file, 1, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static Records open(Path file, String field) {
        return isJsonLines(file) ? new JsonLinesRecords(file, field) : new JsonDocumentRecords(file, field);
    }

    @Override
    public String next() {
        try {
            return json.hasNext() ? JsonRecord.text(json, field, file, json.getPath()) : null;
        } catch (IOException e) {
            throw JsonRecord.invalid(file, 1, e);
        }
    }

    @Override
    public void close() {
        try {
            json.close();
        } catch (IOException e) {
            throw TextFiles.cannotRead(file, e);
        }
    }

    /** Moves into the array of records: the top-level one, or the first one inside the top-level object. */
    private void enterList() throws IOException {
        JsonToken top = json.peek();
        if (top == JsonToken.BEGIN_ARRAY) {
            json.beginArray();
            return;
        }
        if (top == JsonToken.BEGIN_OBJECT) {
            json.beginObject();
            while (json.hasNext()) {
                json.nextName();
                if (json.peek() == JsonToken.BEGIN_ARRAY) {
                    json.beginArray();
                    return;
                }
                json.skipValue();
            }
        }
        throw new BadInputException(file, "holds no list of records; expected an array of objects, or an object holding one"
                + " such as {\"data\": [...]}, or one object per line (JSON Lines)");
    }

    /** A first line that is a whole JSON object, followed by more lines: JSON Lines under a .json name. */
    private static boolean isJsonLines(Path file) {
        try (TextCursor lines = new TextCursor(file)) {
            String first = lines.readNonBlankLine(MAX_RECORD_CHARS);
            return first != null && first.strip().startsWith("{") && isOneValue(first)
                    && lines.readNonBlankLine(MAX_RECORD_CHARS) != null;
        } catch (BadInputException e) {
            return false; // a first line too long for a record: a whole document on one line; reading it says what else is wrong
        }
    }

    private static boolean isOneValue(String text) {
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.skipValue();
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException e) {
            return false;
        }
    }
}
