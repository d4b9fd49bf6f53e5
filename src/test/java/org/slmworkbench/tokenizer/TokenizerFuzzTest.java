package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.slmworkbench.FuzzFiles;

/**
 * Any bytes as {@code tokenizer.json}, loaded both ways a model folder's tokenizer is: through the
 * Hugging Face library (native code, which must only see files that passed our checks) and as our
 * own byte-level BPE. A tokenizer that loads encodes and decodes a text with ids in its vocabulary.
 */
class TokenizerFuzzTest {
    private static final String TEXT = "Jan 12 sshd[4]: Failed password for root from 10.0.0.7 <|endoftext|> ü€𝄞\n";
    private static Path file;

    @BeforeAll
    static void folder() {
        file = FuzzFiles.folder(TokenizerFuzzTest.class).resolve("tokenizer.json");
    }

    @FuzzTest(maxDuration = "4s")
    @DictionaryEntries({"\"model\"", "\"type\"", "\"BPE\"", "\"WordPiece\"", "\"WordLevel\"", "\"Unigram\"", "\"vocab\"", "\"merges\"",
            "\"added_tokens\"", "\"id\"", "\"content\"", "\"special\"", "\"pre_tokenizer\"", "\"ByteLevel\"", "\"Digits\"",
            "\"Sequence\"", "\"pretokenizers\"", "\"normalizer\"", "\"decoder\"", "\"unk_token\"", "<|endoftext|>", "\"Fuse\"",
            "\"add_prefix_space\"", "\"individual_digits\"", "\"use_regex\"", "\"trim_offsets\""})
    void loadEncodeDecode(byte[] input) throws Exception {
        FuzzFiles.write(file, input);
        FuzzFiles.readOrRefuse(file, () -> {
            try (TextTokenizer tokenizer = Tokenizers.load(file)) {
                roundTrip(tokenizer);
            }
        });
        FuzzFiles.readOrRefuse(file, () -> roundTrip(ByteBpeTokenizer.load(file)));
    }

    private static void roundTrip(TextTokenizer tokenizer) {
        int[] ids = tokenizer.encode(TEXT);
        for (int id : ids) {
            assertTrue(id >= 0 && id < tokenizer.vocabSize(), () -> "id " + id + " outside the vocabulary of " + tokenizer.vocabSize());
        }
        tokenizer.decode(ids);
    }
}
