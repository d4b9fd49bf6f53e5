package org.slmworkbench.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a byte-level BPE cuts text into pieces before merging; merges never cross pieces. The
 * choice is part of the tokenizer: {@link ByteBpeTokenizer#save} records it in the
 * {@code pre_tokenizer} of {@code tokenizer.json}, and both {@link ByteBpeTokenizer#load} and
 * {@link Tokenizers#load} honour it.
 */
public enum PreTokenization {
    /**
     * GPT-2's regex alone: a number is one piece with at most one leading space, e.g.
     * {@code " 8080"}. Written as a {@code ByteLevel} pre-tokenizer.
     */
    GPT2,

    /**
     * Every number character is a piece of its own, as in Llama tokenizers, so no token ever
     * holds two digits or a digit and anything else; GPT-2's regex then cuts the text between
     * them. A space before a number thus stays apart from it ({@code "port 8080"} gives
     * {@code "port", " ", "8", "0", "8", "0"}), and runs of spaces before a number stay whole
     * ({@code "a  1"} gives {@code "a", "  ", "1"}).
     *
     * <p>Written as {@code Sequence[Digits(individual_digits), ByteLevel]}, which is what
     * Hugging Face runs in exactly this way: {@code Digits} isolates every {@code char::is_numeric}
     * character (general category Nd, Nl or No, the {@code \p{N}} of the GPT-2 regex), and
     * {@code ByteLevel} applies its regex to each remaining stretch on its own, so the regex's
     * look-ahead stops at a digit. The other order would not work: {@code ByteLevel} first maps
     * non-ASCII digits such as {@code ٣} or {@code ５} to byte characters that are no longer
     * numeric.
     *
     * <p>Java decides what is a number from the JVM's Unicode tables (Java 17: Unicode 13),
     * Hugging Face from newer ones (tokenizers 0.21 in DJL 0.36: Unicode 16). Number characters
     * added after Unicode 13 (e.g. Tangsa, Kawi, Nag Mundari and Garay digits) are pieces of
     * their own there but not here, so ids may differ on text with them; the GPT-2 regex has the
     * same gap for letters and numbers alike.
     */
    GPT2_INDIVIDUAL_DIGITS;

    /** Hands the pieces of {@code text} to {@code piece} in order; together they are the text. */
    void split(String text, Consumer<String> piece) {
        if (this == GPT2) {
            Gpt2PreTokenizer.split(text, piece);
            return;
        }
        int stretch = 0; // start of the text since the last number character
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (isNumber(c)) {
                if (i > stretch) {
                    Gpt2PreTokenizer.split(text.substring(stretch, i), piece);
                }
                piece.accept(text.substring(i, next));
                stretch = next;
            }
            i = next;
        }
        if (stretch < text.length()) {
            Gpt2PreTokenizer.split(stretch == 0 ? text : text.substring(stretch), piece);
        }
    }

    /** Rust's {@code char::is_numeric}, and {@code \p{N}} in the GPT-2 regex. */
    static boolean isNumber(int c) {
        if (c < 0x80) {
            return c >= '0' && c <= '9';
        }
        int type = Character.getType(c);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** The {@code pre_tokenizer} of {@code tokenizer.json}. */
    JsonObject toJson() {
        if (this == GPT2) {
            return TokenizerJsonWriter.byteLevel();
        }
        JsonObject digits = new JsonObject();
        digits.addProperty("type", "Digits");
        digits.addProperty("individual_digits", true);
        JsonArray steps = new JsonArray();
        steps.add(digits);
        steps.add(TokenizerJsonWriter.byteLevel());
        JsonObject sequence = new JsonObject();
        sequence.addProperty("type", "Sequence");
        sequence.add("pretokenizers", steps);
        return sequence;
    }

    /**
     * The choice a {@code pre_tokenizer} entry makes, if it is one of ours. Anything else, even
     * if it might split the same way, is left out, because loading it into {@link ByteBpeTokenizer}
     * or cutting text into {@link TextChunks} for it relies on the pieces being exactly ours.
     */
    static Optional<PreTokenization> fromJson(JsonElement preTokenizer) {
        if (isGpt2ByteLevel(preTokenizer)) {
            return Optional.of(GPT2);
        }
        if (!"Sequence".equals(type(preTokenizer))) {
            return Optional.empty();
        }
        JsonElement steps = preTokenizer.getAsJsonObject().get("pretokenizers");
        if (steps == null || !steps.isJsonArray() || steps.getAsJsonArray().size() != 2) {
            return Optional.empty();
        }
        JsonElement digits = steps.getAsJsonArray().get(0);
        boolean individualDigits = "Digits".equals(type(digits))
                && isTrue(digits.getAsJsonObject().get("individual_digits"));
        return individualDigits && isGpt2ByteLevel(steps.getAsJsonArray().get(1))
                ? Optional.of(GPT2_INDIVIDUAL_DIGITS)
                : Optional.empty();
    }

    /**
     * ByteLevel with the GPT-2 regex and {@code add_prefix_space} given as false: tokenizers 0.21
     * refuses the entry without it, and its Python constructor defaults it to true.
     */
    private static boolean isGpt2ByteLevel(JsonElement e) {
        if (!"ByteLevel".equals(type(e))) {
            return false;
        }
        JsonObject byteLevel = e.getAsJsonObject();
        JsonElement prefixSpace = byteLevel.get("add_prefix_space");
        JsonElement useRegex = byteLevel.get("use_regex"); // the library's default is true
        return prefixSpace != null && prefixSpace.isJsonPrimitive() && prefixSpace.getAsJsonPrimitive().isBoolean()
                && !prefixSpace.getAsBoolean()
                && (useRegex == null || isTrue(useRegex));
    }

    private static String type(JsonElement e) {
        if (e == null || !e.isJsonObject()) {
            return null;
        }
        JsonElement type = e.getAsJsonObject().get("type");
        return type != null && type.isJsonPrimitive() ? type.getAsString() : null;
    }

    private static boolean isTrue(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean();
    }
}
