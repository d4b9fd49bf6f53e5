package org.slmworkbench.data;

import static org.slmworkbench.JsonTokens.describe;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slmworkbench.BadInputException;

/** The text field of one JSON object, read from a stream without building the object. */
final class JsonRecord {
    /** Field names listed when the text field is missing. */
    private static final int LISTED_FIELDS = 20;
    /** Gson's problem, where it is (line and column are relative to what it read), and a link to its docs. */
    private static final Pattern GSON_MESSAGE = Pattern.compile("(?s)(.*?) at line (\\d+) column (\\d+) path \\S*.*");

    private JsonRecord() {
    }

    /**
     * Reads the object at the reader's position and returns its {@code field}: the string, or ""
     * for a JSON null. Every other field is skipped unread.
     *
     * @param where the record in messages, e.g. "line 12"
     * @throws BadInputException if the value is not an object, lacks the field (listing the
     *     fields it has) or holds something other than a string there
     */
    static String text(JsonReader json, String field, Path file, String where) throws IOException {
        JsonToken token = json.peek();
        if (token != JsonToken.BEGIN_OBJECT) {
            throw new BadInputException(file, where + ": expected an object with a '" + field + "' field, found " + describe(token));
        }
        json.beginObject();
        String text = null;
        List<String> others = new ArrayList<>();
        while (json.hasNext()) {
            String name = json.nextName();
            if (text == null && name.equals(field)) {
                text = fieldText(json, field, file, where);
            } else {
                others.add(name);
                json.skipValue();
            }
        }
        json.endObject();
        if (text == null) {
            throw new BadInputException(file, where + ": no field '" + field + "'; " + fieldList(others));
        }
        return text;
    }

    /** Gson's complaint as a message naming the line (and column) of the file. */
    static BadInputException invalid(Path file, long firstLine, IOException e) {
        String message = String.valueOf(e.getMessage());
        Matcher m = GSON_MESSAGE.matcher(message);
        if (!m.matches()) {
            return new BadInputException(file, "line " + firstLine + ": not valid JSON (" + message.lines().findFirst().orElse("") + ")", e);
        }
        long line = firstLine + Long.parseLong(m.group(2)) - 1;
        return new BadInputException(file, "line " + line + ", column " + m.group(3) + ": not valid JSON (" + problem(m.group(1)) + ")", e);
    }

    /** Gson's words for the problem, without its advice to parse leniently. */
    private static String problem(String gson) {
        if (gson.startsWith("Use JsonReader")) {
            return "unexpected text";
        }
        return gson.startsWith("End of input") ? "unexpected end" : gson.substring(0, 1).toLowerCase(Locale.ROOT) + gson.substring(1);
    }

    private static String fieldText(JsonReader json, String field, Path file, String where) throws IOException {
        JsonToken token = json.peek();
        if (token == JsonToken.NULL) {
            json.nextNull();
            return "";
        }
        if (token != JsonToken.STRING) {
            throw new BadInputException(file, where + ": field '" + field + "' holds " + describe(token) + ", not a string");
        }
        return json.nextString();
    }

    private static String fieldList(List<String> names) {
        if (names.isEmpty()) {
            return "the object has no fields";
        }
        String listed = String.join(", ", names.subList(0, Math.min(names.size(), LISTED_FIELDS)));
        return "fields: " + listed + (names.size() > LISTED_FIELDS ? " and " + (names.size() - LISTED_FIELDS) + " more" : "");
    }
}
