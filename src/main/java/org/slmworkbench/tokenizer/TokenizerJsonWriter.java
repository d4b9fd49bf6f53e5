package org.slmworkbench.tokenizer;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slmworkbench.BadInputException;

/**
 * Builds and writes Hugging Face {@code tokenizer.json} documents (format "1.0", as read by the
 * tokenizers library 0.13 and later). Keys keep insertion order, so output is byte-stable.
 */
final class TokenizerJsonWriter {
    private TokenizerJsonWriter() {}

    /** A whole tokenizer with no normalizer, post-processor, truncation or padding. */
    static JsonObject document(
            JsonArray addedTokens, JsonElement preTokenizer, JsonElement decoder, JsonObject model) {
        JsonObject doc = new JsonObject();
        doc.addProperty("version", "1.0");
        doc.add("truncation", JsonNull.INSTANCE);
        doc.add("padding", JsonNull.INSTANCE);
        doc.add("added_tokens", addedTokens);
        doc.add("normalizer", JsonNull.INSTANCE);
        doc.add("pre_tokenizer", preTokenizer);
        doc.add("post_processor", JsonNull.INSTANCE);
        doc.add("decoder", decoder);
        doc.add("model", model);
        return doc;
    }

    /**
     * An added special token. {@code normalized: false} makes the library match it in the raw
     * text, which is what {@link SpecialTokens#split} does.
     */
    static JsonObject specialToken(int id, String content) {
        JsonObject token = new JsonObject();
        token.addProperty("id", id);
        token.addProperty("content", content);
        token.addProperty("single_word", false);
        token.addProperty("lstrip", false);
        token.addProperty("rstrip", false);
        token.addProperty("normalized", false);
        token.addProperty("special", true);
        return token;
    }

    /** GPT-2's byte-level settings, used both as pre-tokenizer and as decoder. */
    static JsonObject byteLevel() {
        JsonObject byteLevel = new JsonObject();
        byteLevel.addProperty("type", "ByteLevel");
        byteLevel.addProperty("add_prefix_space", false);
        byteLevel.addProperty("trim_offsets", true);
        byteLevel.addProperty("use_regex", true);
        return byteLevel;
    }

    /** A plain BPE model; merges are "left right" strings, which every library version reads. */
    static JsonObject bpeModel(JsonObject vocab, JsonArray merges, String unkToken) {
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.addProperty("unk_token", unkToken);
        model.add("continuing_subword_prefix", JsonNull.INSTANCE);
        model.add("end_of_word_suffix", JsonNull.INSTANCE);
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.addProperty("ignore_merges", false);
        model.add("vocab", vocab);
        model.add("merges", merges);
        return model;
    }

    static void write(JsonObject doc, Path file) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeNulls()
                    .disableHtmlEscaping()
                    .create()
                    .toJson(doc, out);
            out.write('\n');
        } catch (IOException e) {
            throw new BadInputException(file, "cannot write the tokenizer (" + e + ")", e);
        }
    }
}
