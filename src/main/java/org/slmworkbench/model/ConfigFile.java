package org.slmworkbench.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slmworkbench.BadInputException;

/** A parsed {@code config.json}-style file whose accessors name the file and key in every error. */
public final class ConfigFile {
    private static final long MAX_BYTES = 1 << 20;

    private final Path file;
    private final JsonObject json;

    private ConfigFile(Path file, JsonObject json) {
        this.file = file;
        this.json = json;
    }

    public static ConfigFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file, "file not found");
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new BadInputException(file, "is " + Files.size(file) + " bytes; a config file is at most 1 MiB");
            }
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new BadInputException(file, "expected a JSON object");
            }
            return new ConfigFile(file, e.getAsJsonObject());
        } catch (JsonParseException | java.nio.charset.MalformedInputException e) {
            throw new BadInputException(file, "is not valid JSON (" + firstLine(e.getMessage()) + ")");
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read: " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    /** Refuses the file with every problem the parsed config has (none: returns). */
    public void refuseIf(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new BadInputException(file, String.join("; ", problems));
        }
    }

    public JsonObject json() {
        return json;
    }

    public boolean has(String key) {
        return json.has(key) && !json.get(key).isJsonNull();
    }

    public int requireInt(String key) {
        if (!has(key)) {
            throw new BadInputException(file, "missing required key \"" + key + "\"");
        }
        return asInt(key);
    }

    public int optInt(String key, int fallback) {
        return has(key) ? asInt(key) : fallback;
    }

    public double optDouble(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        try {
            return json.get(key).getAsDouble();
        } catch (RuntimeException e) {
            throw bad(key, "a number");
        }
    }

    public boolean optBoolean(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonElement e = json.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw bad(key, "true or false");
        }
        return e.getAsBoolean();
    }

    public String optString(String key, String fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonElement e = json.get(key);
        if (!e.isJsonPrimitive()) {
            throw bad(key, "a string");
        }
        return e.getAsString();
    }

    /** First entry of a string array such as {@code architectures} (or the string itself), or null if absent or empty. */
    public String firstString(String key) {
        if (!has(key) || json.get(key).isJsonArray() && json.get(key).getAsJsonArray().isEmpty()) {
            return null;
        }
        JsonElement e = json.get(key);
        JsonElement first = e.isJsonArray() ? e.getAsJsonArray().get(0) : e;
        if (!first.isJsonPrimitive()) {
            throw bad(key, "a string or a list of strings");
        }
        return first.getAsString();
    }

    private int asInt(String key) {
        JsonElement e = json.get(key);
        try {
            double d = e.getAsDouble();
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw bad(key, "a whole number");
            }
            return (int) d;
        } catch (BadInputException b) {
            throw b;
        } catch (RuntimeException r) {
            throw bad(key, "a whole number");
        }
    }

    private BadInputException bad(String key, String expected) {
        return new BadInputException(file, "\"" + key + "\" should be " + expected + ", got " + json.get(key));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
