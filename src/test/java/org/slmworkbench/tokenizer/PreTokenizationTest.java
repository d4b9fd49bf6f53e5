package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreTokenizationTest {

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        PreTokenization.GPT2_INDIVIDUAL_DIGITS.split(text, pieces::add);
        return pieces;
    }

    // The expected pieces are what tokenizers 0.21 (through DJL) makes of the same text with
    // Sequence[Digits(individual_digits), ByteLevel], read off a WordLevel model's offsets.

    @Test
    void everyDigitIsAPieceAndASpaceBeforeANumberStaysApart() {
        assertEquals(List.of("Hello", " world", "'s", " ", "1", "2", "3", " ", " x", "!!", "\n"),
                pieces("Hello world's 123  x!!\n"));
        assertEquals(List.of("1", "0", ".", "0", ".", "0", ".", "1", ":", "8", "0", "8", "0"), pieces("10.0.0.1:8080"));
        assertEquals(List.of("-", "5"), pieces("-5"));
    }

    @Test
    void theRegexSeesOnlyTheTextBetweenDigits() {
        // whole text: "a", " ", " 123", "b"; here "  " ends its stretch, so \s+(?!\S) takes both
        assertEquals(List.of("a", "  ", "1", "2", "3", "b"), pieces("a  123b"));
        assertEquals(List.of("a", " \n", "1"), pieces("a \n1"));
        assertEquals(List.of("'s", "1", "'ll"), pieces("'s1'll"));
    }

    @Test
    void digitsGluedToLettersAndSymbols() {
        assertEquals(List.of("blk", "_-", "1", "2", "3", " abc", "1", "2", "3", "def"), pieces("blk_-123 abc123def"));
        assertEquals(List.of("x", "8", "6", "_", "6", "4"), pieces("x86_64"));
    }

    @Test
    void numbersOfEveryScriptAndKind() {
        assertEquals(List.of("x", " ", "٣", "٤", " y"), pieces("x ٣٤ y"));
        assertEquals(List.of("x", " ", "０", "１", " y"), pieces("x ０１ y"));
        assertEquals(List.of("²", "³", "½", " ", "Ⅻ"), pieces("²³½ Ⅻ"), "No and Nl count, as in char::is_numeric");
        assertEquals(List.of("v", "𝟎", "𝟏", "①"), pieces("v𝟎𝟏①"), "a digit outside the BMP stays whole");
    }

    @Test
    void gpt2KeepsNumbersWhole() {
        List<String> pieces = new ArrayList<>();
        PreTokenization.GPT2.split("a  123b", pieces::add);
        assertEquals(List.of("a", " ", " 123", "b"), pieces);
    }

    @Test
    void recognisesOnlyTheFormsItWrites() {
        for (PreTokenization p : PreTokenization.values()) {
            assertEquals(Optional.of(p), PreTokenization.fromJson(p.toJson()));
        }
        String byteLevel = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true}";
        assertEquals(Optional.of(PreTokenization.GPT2), fromJson(byteLevel), "use_regex defaults to true");
        for (String other : new String[] {
            "null",
            "{\"type\": \"ByteLevel\", \"trim_offsets\": true}",
            "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": false}",
            "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Digits\", \"individual_digits\": false}, " + byteLevel + "]}",
            "{\"type\": \"Sequence\", \"pretokenizers\": [" + byteLevel + ", {\"type\": \"Digits\", \"individual_digits\": true}]}",
            "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Digits\", \"individual_digits\": true}]}",
            "{\"type\": \"Digits\", \"individual_digits\": true}"}) {
            assertTrue(fromJson(other).isEmpty(), other);
        }
    }

    private static Optional<PreTokenization> fromJson(String json) {
        return PreTokenization.fromJson(JsonParser.parseString(json));
    }
}
