package org.slmworkbench.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes a {@link ByteBpeTokenizer} as a Hugging Face {@code tokenizer.json}. */
final class ByteBpeFile {
    private ByteBpeFile() {}

    static void write(BpeModel model, PreTokenization preTokenization, Path file) {
        JsonObject vocab = new JsonObject();
        for (int id = 0; id < model.vocabSize(); id++) {
            vocab.addProperty(tokenString(model, id), id);
        }
        JsonArray merges = new JsonArray();
        mergeStrings(model).forEach(merges::add);
        JsonArray added = new JsonArray();
        if (model.eosId() >= 0) {
            added.add(TokenizerJsonWriter.specialToken(model.eosId(), SpecialTokens.END_OF_TEXT));
        }
        TokenizerJsonWriter.write(
                TokenizerJsonWriter.document(added, preTokenization.toJson(), TokenizerJsonWriter.byteLevel(),
                        TokenizerJsonWriter.bpeModel(vocab, merges, null)),
                file);
    }

    /** Token {@code id} as the vocabulary of tokenizer.json spells it. */
    static String tokenString(BpeModel model, int id) {
        return id == model.eosId() ? SpecialTokens.END_OF_TEXT : ByteLevelAlphabet.encode(model.bytesOf(id));
    }

    /** The merges in rank order as tokenizer.json lists them: the two tokens' spellings with a space between. */
    static List<String> mergeStrings(BpeModel model) {
        List<String> merges = new ArrayList<>(model.merges().size());
        for (Merge merge : model.merges()) {
            merges.add(tokenString(model, merge.left()) + " " + tokenString(model, merge.right()));
        }
        return merges;
    }

    /**
     * Reads a byte-level BPE whose ids {@link ByteBpeTokenizer} reproduces exactly: one of our
     * {@link PreTokenization}s, no normalizer, and no added token other than
     * {@code <|endoftext|>}. Anything else is refused rather than encoded differently.
     */
    static ByteBpeTokenizer read(Path path) {
        TokenizerJsonFile file = TokenizerJsonFile.read(path);
        PreTokenization preTokenization = requireGpt2Style(file);
        Map<String, Integer> vocab = file.vocabObject();
        int eosId = -1;
        int size = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        for (AddedToken token : file.addedTokens()) {
            if (!token.content().equals(SpecialTokens.END_OF_TEXT)) {
                throw file.fail("has the added token \"" + token.content() + "\", which only "
                        + "Tokenizers.load handles; ByteBpeTokenizer knows only " + SpecialTokens.END_OF_TEXT);
            }
            eosId = token.id();
            size = Math.max(size, eosId + 1);
        }
        // every id below size needs a token, so more ids than tokens means a gap: refused before a table by id is made
        int tokens = vocab.size() + (eosId >= 0 && !vocab.containsValue(eosId) ? 1 : 0);
        if (size > tokens) {
            throw file.fail("ids go up to " + (size - 1) + " but there are only " + tokens + " tokens, so some id has none");
        }
        byte[][] tokenBytes = new byte[size][];
        for (Map.Entry<String, Integer> entry : vocab.entrySet()) {
            int id = entry.getValue();
            byte[] bytes = ByteLevelAlphabet.decode(entry.getKey());
            if (bytes == null && id != eosId) {
                throw file.fail("token \"" + entry.getKey() + "\" is not a byte-level token");
            }
            if (tokenBytes[id] != null) {
                throw file.fail("id " + id + " belongs to two tokens");
            }
            tokenBytes[id] = bytes;
        }
        for (int id = 0; id < size; id++) {
            if (tokenBytes[id] == null && id != eosId) {
                throw file.fail("no token has id " + id);
            }
        }
        boolean[] byteSeen = new boolean[256];
        for (int id = 0; id < size; id++) {
            if (id != eosId && tokenBytes[id].length == 1) {
                byteSeen[tokenBytes[id][0] & 0xFF] = true;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!byteSeen[b]) {
                throw file.fail(String.format("byte 0x%02X has no token, so this is not a byte-level BPE", b));
            }
        }
        List<Merge> merges = readMerges(file, vocab);
        try {
            return new ByteBpeTokenizer(new BpeModel(tokenBytes, eosId, merges), preTokenization);
        } catch (IllegalArgumentException e) {
            throw file.fail(e.getMessage());
        }
    }

    private static List<Merge> readMerges(TokenizerJsonFile file, Map<String, Integer> vocab) {
        List<Merge> merges = new ArrayList<>();
        for (String[] pair : file.merges()) {
            Integer left = vocab.get(pair[0]);
            Integer right = vocab.get(pair[1]);
            Integer result = vocab.get(pair[0] + pair[1]);
            if (left == null || right == null || result == null) {
                throw file.fail("merge \"" + pair[0] + " " + pair[1] + "\" uses or makes a token "
                        + "that is not in the vocabulary");
            }
            merges.add(new Merge(left, right, result));
        }
        return merges;
    }

    private static PreTokenization requireGpt2Style(TokenizerJsonFile file) {
        if (!file.modelType().equals("BPE")) {
            throw file.fail("model type is " + file.modelType() + ", not byte-level BPE; use Tokenizers.load");
        }
        JsonElement normalizer = file.root().get("normalizer");
        Optional<PreTokenization> preTokenization = PreTokenization.fromJson(file.root().get("pre_tokenizer"));
        boolean gpt2 = (normalizer == null || normalizer.isJsonNull()) && preTokenization.isPresent();
        JsonObject model = file.model();
        for (String unsupported : new String[] {"dropout", "continuing_subword_prefix", "end_of_word_suffix"}) {
            String value = stringOrNull(model, unsupported);
            gpt2 &= value == null || value.isEmpty();
        }
        if (!gpt2) {
            throw file.fail("not a GPT-2 style byte-level BPE (ByteLevel pre-tokenizer without prefix "
                    + "space, alone or after individual Digits; no normalizer, no dropout or affixes); "
                    + "use Tokenizers.load");
        }
        return preTokenization.get();
    }

    private static String stringOrNull(JsonObject object, String key) {
        JsonElement value = object.get(key);
        return value == null || !value.isJsonPrimitive() ? null : value.getAsString();
    }
}
