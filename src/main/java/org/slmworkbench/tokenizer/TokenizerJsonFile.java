package org.slmworkbench.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slmworkbench.BadInputException;

/**
 * A parsed Hugging Face {@code tokenizer.json}, with accessors that turn every surprise in its
 * structure into a {@link BadInputException} naming the file.
 */
record TokenizerJsonFile(Path file, JsonObject root) {
    /** Far above any real vocabulary (the largest have about 256k tokens), and small enough that a table by id fits in memory. */
    static final int MAX_ID = (1 << 24) - 1;

    static TokenizerJsonFile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, "no such file");
        } catch (CharacterCodingException e) {
            throw new BadInputException(file, "not UTF-8 text, so not a tokenizer.json");
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read it (" + e + ")", e);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new BadInputException(file, "not valid JSON" + errorPosition(e));
        }
        if (!root.isJsonObject()) {
            throw new BadInputException(file, "not a tokenizer.json: the top level is not a JSON object");
        }
        return new TokenizerJsonFile(file, root.getAsJsonObject());
    }

    BadInputException fail(String problem) {
        return new BadInputException(file, problem);
    }

    JsonObject model() {
        JsonElement model = root.get("model");
        if (model == null || !model.isJsonObject()) {
            throw fail("not a tokenizer.json: it has no \"model\" object");
        }
        return model.getAsJsonObject();
    }

    /** The model's type, e.g. "BPE"; older files leave it out when it can be inferred. */
    String modelType() {
        JsonElement type = model().get("type");
        return type != null && type.isJsonPrimitive() ? type.getAsString() : "(not given)";
    }

    /** {@code model.vocab} when it is a token-to-id object (BPE, WordPiece, WordLevel). */
    Map<String, Integer> vocabObject() {
        JsonElement vocab = model().get("vocab");
        if (vocab == null || !vocab.isJsonObject()) {
            throw fail("model.vocab is missing or not an object");
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
            ids.put(e.getKey(), id(e.getValue(), "model.vocab[\"" + e.getKey() + "\"]"));
        }
        return ids;
    }

    /** Largest id in {@code model.vocab}: an object of ids or, for Unigram, a list of pieces. */
    int largestModelId() {
        JsonElement vocab = model().get("vocab");
        if (vocab != null && vocab.isJsonArray()) {
            return vocab.getAsJsonArray().size() - 1;
        }
        return vocabObject().values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    List<AddedToken> addedTokens() {
        JsonElement added = root.get("added_tokens");
        if (added == null || added.isJsonNull()) {
            return List.of();
        }
        if (!added.isJsonArray()) {
            throw fail("added_tokens is not a list");
        }
        List<AddedToken> tokens = new ArrayList<>();
        for (JsonElement e : added.getAsJsonArray()) {
            if (!e.isJsonObject() || !(e.getAsJsonObject().get("content") instanceof JsonPrimitive)) {
                throw fail("an entry of added_tokens is not an object with id and content");
            }
            JsonObject token = e.getAsJsonObject();
            tokens.add(new AddedToken(id(token.get("id"), "added_tokens id"), token.get("content").getAsString()));
        }
        return tokens;
    }

    /** The merges as left/right token pairs; accepts "a b" strings and ["a", "b"] lists. */
    List<String[]> merges() {
        JsonElement merges = model().get("merges");
        if (merges == null || !merges.isJsonArray()) {
            throw fail("model.merges is missing or not a list");
        }
        List<String[]> pairs = new ArrayList<>();
        JsonArray array = merges.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            JsonElement merge = array.get(i);
            String[] pair = null;
            if (merge.isJsonPrimitive()) {
                pair = merge.getAsString().split(" ", -1);
            } else if (merge.isJsonArray() && merge.getAsJsonArray().size() == 2
                    && merge.getAsJsonArray().get(0).isJsonPrimitive()
                    && merge.getAsJsonArray().get(1).isJsonPrimitive()) {
                JsonArray parts = merge.getAsJsonArray();
                pair = new String[] {parts.get(0).getAsString(), parts.get(1).getAsString()};
            }
            if (pair == null || pair.length != 2) {
                throw fail("model.merges[" + i + "] is not a pair of tokens: " + merge);
            }
            pairs.add(pair);
        }
        return pairs;
    }

    private int id(JsonElement value, String where) {
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw fail(where + " is not a token id");
        }
        double id = value.getAsDouble();
        if (id < 0 || id > MAX_ID || id != Math.rint(id)) {
            throw fail(where + " is " + value + "; a token id is a whole number from 0 to " + MAX_ID);
        }
        return (int) id;
    }

    /** Where Gson stopped, e.g. " (error at line 3 column 7)", or "" if it does not say. */
    private static String errorPosition(JsonParseException e) {
        Matcher at = Pattern.compile("line (\\d+) column (\\d+)").matcher(String.valueOf(e.getMessage()));
        return at.find() ? " (error at line " + at.group(1) + " column " + at.group(2) + ")" : "";
    }
}
