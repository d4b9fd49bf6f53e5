package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PreTokenization#GPT2_INDIVIDUAL_DIGITS}: training, encoding, files and Hugging Face parity. */
class IndividualDigitsTest {
    @TempDir
    Path dir;

    private Path save(ByteBpeTokenizer tokenizer, String name) {
        Path file = dir.resolve(name);
        tokenizer.save(file);
        return file;
    }

    @Test
    void sameIdsAsHuggingFaceOnNumberRichText() {
        ByteBpeTokenizer java = TrainedTokenizers.digits();
        try (TextTokenizer hf = Tokenizers.load(save(java, "tokenizer.json"))) {
            assertParity(java, hf, new Random(21), 600);
        }
    }

    /**
     * A vocabulary learned without the digit split has tokens like "Ġ80" and "2024", and one
     * learned on logs has whitespace tokens, so here any piece cut differently from Hugging Face
     * would change the ids.
     */
    @Test
    void sameIdsAsHuggingFaceWithAVocabularyFullOfNumberTokens() {
        ByteBpeTokenizer gpt2 = TrainedTokenizers.mixed();
        TokenizerJsonFile json = TokenizerJsonFile.read(save(gpt2, "gpt2.json"));
        json.root().add("pre_tokenizer", PreTokenization.GPT2_INDIVIDUAL_DIGITS.toJson());
        Path file = dir.resolve("digits.json");
        TokenizerJsonWriter.write(json.root(), file);
        ByteBpeTokenizer java = ByteBpeTokenizer.load(file);
        assertEquals(PreTokenization.GPT2_INDIVIDUAL_DIGITS, java.preTokenization());
        assertFalse(Arrays.equals(gpt2.encode(" port 8080"), java.encode(" port 8080")));
        try (TextTokenizer hf = Tokenizers.load(file)) {
            assertParity(java, hf, new Random(22), 600);
        }
    }

    private static void assertParity(ByteBpeTokenizer java, TextTokenizer hf, Random random, int strings) {
        assertEquals(java.vocabSize(), hf.vocabSize());
        assertEquals(java.eosId(), hf.eosId());
        for (int i = 0; i < strings; i++) {
            String text = RandomText.numbers(random, 30);
            int[] ids = java.encode(text);
            assertArrayEquals(ids, hf.encode(text), () -> "ids differ for " + text);
            assertEquals(text, hf.decode(ids));
        }
    }

    /** Long enough for the DJL side to encode in chunks, with numbers right at the line breaks. */
    @Test
    void sameIdsAsHuggingFaceOnHundredsOfKilobytesOfLogs() {
        Random random = new Random(23);
        String[] lineEnds = {"\n", "\n", " \n", "\n ", "\n\n", "\r\n", "7\n", "\n8", "9\n0", "\u0663\n", "<|endoftext|>\n"};
        StringBuilder text = new StringBuilder(SyntheticLogs.generate(200_000, 24));
        while (text.length() < 400_000) {
            text.append(RandomText.numbers(random, 12)).append(lineEnds[random.nextInt(lineEnds.length)]);
        }
        ByteBpeTokenizer java = TrainedTokenizers.digits();
        try (TextTokenizer hf = Tokenizers.load(save(java, "tokenizer.json"))) {
            int[] ids = java.encode(text.toString());
            assertArrayEquals(ids, hf.encode(text.toString()));
            assertEquals(text.toString(), hf.decode(ids));
        }
    }

    @Test
    void anyBytesRoundTripExactly() {
        ByteBpeTokenizer tokenizer = TrainedTokenizers.digits();
        Random random = new Random(25);
        for (int i = 0; i < 600; i++) {
            ByteArrayOutputStream mixed = new ByteArrayOutputStream();
            for (int k = random.nextInt(8); k >= 0; k--) {
                mixed.writeBytes(RandomText.numbers(random, 10).getBytes(StandardCharsets.UTF_8));
                mixed.writeBytes(RandomText.bytes(random, 64));
            }
            byte[] bytes = mixed.toByteArray();
            int[] ids = tokenizer.encodeBytes(bytes);
            assertArrayEquals(bytes, tokenizer.decodeBytes(ids), () -> "bytes " + Arrays.toString(bytes));
        }
    }

    @Test
    void noTokenHoldsADigitWithAnythingElse() {
        assertTrue(tokensWithTwoOrMoreCharactersAndADigit(TrainedTokenizers.mixed()) > 50,
                "without the split, many tokens hold digits");
        assertEquals(0, tokensWithTwoOrMoreCharactersAndADigit(TrainedTokenizers.digits()));
        assertEquals(1, TrainedTokenizers.digits().encode("٣").length, "the bytes of one digit do merge");
    }

    /** Learned tokens that hold a number character and more; ASCII digits count even in partial UTF-8. */
    private static int tokensWithTwoOrMoreCharactersAndADigit(ByteBpeTokenizer tokenizer) {
        int count = 0;
        for (int id = 256; id < tokenizer.vocabSize(); id++) {
            if (id == tokenizer.eosId()) {
                continue;
            }
            byte[] bytes = tokenizer.decodeBytes(new int[] {id});
            String text = strictUtf8(bytes);
            boolean asciiDigit = false;
            for (byte b : bytes) {
                asciiDigit |= b >= '0' && b <= '9';
            }
            boolean number = text != null && text.codePoints().anyMatch(PreTokenization::isNumber);
            boolean single = text != null && text.codePointCount(0, text.length()) == 1;
            if ((asciiDigit || number) && !single) {
                count++;
            }
        }
        return count;
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null; // part of a multi-byte character
        }
    }

    @Test
    void sameInputGivesIdenticalFilesThatLoadBack() throws IOException {
        String text = SyntheticLogs.generate(100_000, 26) + RandomText.numbers(new Random(26), 200);
        Path first = save(ByteBpeTrainer.train(List.of(text), 800, PreTokenization.GPT2_INDIVIDUAL_DIGITS), "first.json");
        Path second = save(ByteBpeTrainer.train(text.getBytes(StandardCharsets.UTF_8), 800,
                PreTokenization.GPT2_INDIVIDUAL_DIGITS), "second.json");
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        assertTrue(Files.readString(first).contains("\"type\": \"Digits\""));

        ByteBpeTokenizer loaded = ByteBpeTokenizer.load(first);
        assertEquals(PreTokenization.GPT2_INDIVIDUAL_DIGITS, loaded.preTokenization());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(save(loaded, "again.json")));
        assertEquals(PreTokenization.GPT2, ByteBpeTokenizer.load(save(TrainedTokenizers.mixed(), "gpt2.json"))
                .preTokenization());
    }

    @Test
    void tokensPerByteOnLogsWithAndWithoutTheSplit() {
        TrainedTokenizers.OnLogs gpt2 = TrainedTokenizers.onLogs();
        ByteBpeTokenizer digits = ByteBpeTrainer.train(List.of(gpt2.text()), 4096, PreTokenization.GPT2_INDIVIDUAL_DIGITS);
        String unseen = SyntheticLogs.generate(200_000, 99);
        double bytes = unseen.getBytes(StandardCharsets.UTF_8).length;
        double gpt2Rate = gpt2.tokenizer().encode(unseen).length / bytes;
        int[] ids = digits.encode(unseen);
        System.out.printf("tokens per byte on unseen logs, 4096 tokens: GPT-2 %.3f, individual digits %.3f%n",
                gpt2Rate, ids.length / bytes);
        assertEquals(unseen, digits.decode(ids));
    }
}
