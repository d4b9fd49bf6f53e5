package org.slmworkbench.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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

    /** Real tokenizer files are up to a few tens of MB (Gemma's is 34 MB). */
    static final long MAX_BYTES = 128L << 20;

    /**
     * Reads and checks the file. It must be JSON as RFC 8259 has it, and no string may hold a lone
     * surrogate: the Hugging Face library reads the same file with serde_json, and where that
     * fails inside a decoder, normalizer or pre-tokenizer the library panics, which aborts the
     * whole JVM.
     */
    static TokenizerJsonFile read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new BadInputException(file, "is " + Files.size(file) + " bytes; a tokenizer.json is at most " + MAX_BYTES + " bytes");
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, "no such file");
        } catch (CharacterCodingException e) {
            throw new BadInputException(file, "not UTF-8 text, so not a tokenizer.json");
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read it (" + e + ")", e);
        }
        JsonElement root;
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("more text after the JSON value at " + reader.getPath());
            }
        } catch (JsonParseException | IOException e) {
            throw new BadInputException(file, "not valid JSON" + errorPosition(e));
        }
        String problem = loneSurrogate(root);
        if (problem != null) {
            throw new BadInputException(file, problem);
        }
        if (!root.isJsonObject()) {
            throw new BadInputException(file, "not a tokenizer.json: the top level is not a JSON object");
        }
        return new TokenizerJsonFile(file, root.getAsJsonObject());
    }

    /** Where valid JSON holds a lone surrogate, which serde_json refuses; null if nowhere. */
    private static String loneSurrogate(JsonElement e) {
        if (e.isJsonPrimitive()) {
            return e.getAsJsonPrimitive().isString() ? surrogateProblem(e.getAsString()) : null;
        }
        if (e.isJsonArray()) {
            for (JsonElement item : e.getAsJsonArray()) {
                String problem = loneSurrogate(item);
                if (problem != null) {
                    return problem;
                }
            }
        } else if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                String problem = surrogateProblem(entry.getKey());
                problem = problem != null ? problem : loneSurrogate(entry.getValue());
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static String surrogateProblem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("a string holds a lone surrogate \\u%04x, which is no character", (int) c);
            }
        }
        return null;
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

    /**
     * Refuses a {@code model.unk_token} that {@code model.vocab} lacks: the library loads such a
     * file and fails only on the first text with a character it does not know.
     */
    void requireUnknownTokenInVocab() {
        JsonElement unknown = model().get("unk_token");
        JsonElement vocab = model().get("vocab");
        if (unknown != null && unknown.isJsonPrimitive() && vocab != null && vocab.isJsonObject()
                && !vocab.getAsJsonObject().has(unknown.getAsString())) {
            throw fail("model.unk_token \"" + unknown.getAsString() + "\" is not in model.vocab");
        }
    }

    /**
     * Refuses two tokens on one id, in {@code model.vocab} or between it and an added token: the
     * library then moves tokens past every other id, outside the vocabulary the file implies. The
     * same token listed in both with the same id is fine, and common.
     */
    void requireDistinctIds() {
        Map<Integer, String> owners = new HashMap<>();
        JsonElement vocab = model().get("vocab");
        if (vocab != null && vocab.isJsonArray()) {
            JsonArray pieces = vocab.getAsJsonArray();
            for (int i = 0; i < pieces.size(); i++) {
                JsonElement piece = pieces.get(i);
                if (piece.isJsonArray() && !piece.getAsJsonArray().isEmpty() && piece.getAsJsonArray().get(0).isJsonPrimitive()) {
                    owners.put(i, piece.getAsJsonArray().get(0).getAsString());
                }
            }
        } else {
            vocabObject().forEach((token, id) -> {
                String owner = owners.putIfAbsent(id, token);
                if (owner != null) {
                    throw fail("model.vocab gives id " + id + " to both \"" + owner + "\" and \"" + token + "\"");
                }
            });
        }
        for (AddedToken t : addedTokens()) {
            String owner = owners.putIfAbsent(t.id(), t.content());
            if (owner != null && !owner.equals(t.content())) {
                throw fail("added token \"" + t.content() + "\" has id " + t.id() + ", which is already \"" + owner + "\"");
            }
        }
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
    private static String errorPosition(Exception e) {
        Matcher at = Pattern.compile("line (\\d+) column (\\d+)").matcher(String.valueOf(e.getMessage()));
        return at.find() ? " (error at line " + at.group(1) + " column " + at.group(2) + ")" : "";
    }
}
