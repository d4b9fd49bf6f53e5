package org.slmworkbench.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slmworkbench.BadInputException;

/** Opens any Hugging Face {@code tokenizer.json}, ours or imported, for use at run time. */
public final class Tokenizers {
    private Tokenizers() {}

    /**
     * Loads a tokenizer through DJL's Hugging Face tokenizers (offline), set up to add no special
     * tokens, truncate nothing and pad nothing. A folder stands for its {@code tokenizer.json}.
     *
     * @throws BadInputException if the file is missing, not JSON, or not a tokenizer the library
     *     can run
     */
    public static TextTokenizer load(Path tokenizerJson) {
        Path file = Files.isDirectory(tokenizerJson) ? tokenizerJson.resolve("tokenizer.json") : tokenizerJson;
        TokenizerJsonFile json = TokenizerJsonFile.read(file);
        json.requireUnknownTokenInVocab();
        json.requireDistinctIds();
        int eosId = -1;
        int vocabSize = json.largestModelId() + 1;
        for (AddedToken token : json.addedTokens()) {
            vocabSize = Math.max(vocabSize, token.id() + 1);
            if (token.content().equals(SpecialTokens.END_OF_TEXT)) {
                eosId = token.id();
            }
        }
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file, "the Hugging Face tokenizers library cannot load it: " + e.getMessage());
        }
        return new HuggingFaceTextTokenizer(file, tokenizer, vocabSize, eosId, TextChunks.safeFor(json));
    }
}
