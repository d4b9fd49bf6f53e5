package org.slmworkbench.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Random strings that exercise every branch of GPT-2 pre-tokenization (letters, digits, symbols,
 * contractions, whitespace runs) across scripts, emoji and control characters, and random byte
 * arrays that mix such text with invalid UTF-8. Pools use characters assigned long ago, so that
 * Java's and Oniguruma's Unicode tables agree on them.
 */
final class RandomText {
    private static final String[] WORDS = {
        "error", "Failed", "password", "GET", "HTTP", "kernel", "sshd", "user", "id", "latency_ms", "ok", "Timeout",
        "connection", "reset", "by", "peer", "WARN", "null", "true", "x86_64"};
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final String[] CONTRACTIONS = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "'x"};
    private static final String[] SPACES = {
        " ", " ", " ", "\t", "\n", "\r\n", "\r", "\u00A0", "\u2003", "\u3000", "\u2028", "\u2029", "\u000B", "\u000C",
        "\u0085", "\u202F", "\u205F", "\u1680"};
    private static final String[] SCRIPTS = {
        "àéîõüñçßÆØÅ", "αβγδεζηθλμπσωΩΣ", "абвгдежзийклмнопрстЖЩЯ", "日本語中文字体测试漢字", "مرحبابالعالم",
        "नमस्तेहिन्दी", "한국어테스트", "ภาษาไทย", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𐌰𐌱𐌲𐍈"};
    private static final String[] DIGITS = {"0123456789", "٠١٢٣٤٥٦٧٨٩", "０１２３４５", "²³¹½¼", "ⅫⅣⅩ", "१२३४"};
    private static final String SYMBOLS = "«»—–…¿¡、。・€£¥©®™°±×÷§¶†‡•‰′″‹›";
    private static final String[] EMOJI = {"😀", "👍🏽", "👨‍👩‍👧", "🇫🇷", "❤️", "🚀", "🤖", "e\u0301"};
    private static final String[] CONTROLS = {"\u0000", "\u0001", "\u001B", "\u001C", "\u001F", "\u007F", "\u200B", "\uFEFF", "\u00AD"};

    private RandomText() {}

    /** A string of 1 to {@code maxFragments} random fragments. */
    static String string(Random r, int maxFragments) {
        StringBuilder out = new StringBuilder();
        int fragments = 1 + r.nextInt(maxFragments);
        for (int i = 0; i < fragments; i++) {
            appendFragment(r, out);
        }
        return out.toString();
    }

    private static void appendFragment(Random r, StringBuilder out) {
        switch (r.nextInt(12)) {
            case 0, 1 -> out.append(WORDS[r.nextInt(WORDS.length)]);
            case 2 -> out.append(r.nextBoolean() ? Integer.toString(r.nextInt(100000)) : Long.toHexString(r.nextLong()));
            case 3 -> out.append(randomRun(r, PUNCTUATION, 3));
            case 4 -> out.append(CONTRACTIONS[r.nextInt(CONTRACTIONS.length)]);
            case 5, 6 -> {
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    out.append(SPACES[r.nextInt(SPACES.length)]);
                }
            }
            case 7 -> out.append(randomRun(r, SCRIPTS[r.nextInt(SCRIPTS.length)], 6));
            case 8 -> out.append(randomRun(r, DIGITS[r.nextInt(DIGITS.length)], 4));
            case 9 -> out.append(randomRun(r, SYMBOLS, 3));
            case 10 -> out.append(r.nextInt(20) == 0 ? SpecialTokens.END_OF_TEXT : EMOJI[r.nextInt(EMOJI.length)]);
            default -> out.append(CONTROLS[r.nextInt(CONTROLS.length)]);
        }
    }

    /**
     * A string of 1 to {@code maxFragments} fragments rich in numbers: timestamps, addresses and
     * ports, hex, negative and decimal numbers, digits glued to letters and symbols
     * ({@code blk_-123}, {@code abc123def}), digits of other scripts (Arabic-Indic, full-width,
     * Devanagari, mathematical bold outside the BMP), other numbers (superscripts, fractions,
     * Roman numerals), with whitespace and line breaks between and some ordinary random text.
     */
    static String numbers(Random r, int maxFragments) {
        StringBuilder out = new StringBuilder();
        int fragments = 1 + r.nextInt(maxFragments);
        for (int i = 0; i < fragments; i++) {
            switch (r.nextInt(14)) {
                case 0 -> out.append(String.format("2024-%02d-%02dT%02d:%02d:%02d.%03dZ", 1 + r.nextInt(12),
                        1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1000)));
                case 1 -> out.append(String.format("Mar %2d %02d:%02d:%02d", 1 + r.nextInt(28), r.nextInt(24),
                        r.nextInt(60), r.nextInt(60)));
                case 2 -> out.append(r.nextInt(256)).append('.').append(r.nextInt(256)).append('.')
                        .append(r.nextInt(256)).append('.').append(r.nextInt(256))
                        .append(r.nextBoolean() ? ":" + r.nextInt(65536) : "");
                case 3 -> out.append(r.nextBoolean() ? "0x" : "").append(Long.toHexString(r.nextLong()));
                case 4 -> out.append('-').append(r.nextInt(1_000_000))
                        .append(r.nextBoolean() ? "." + r.nextInt(1000) + "e-" + r.nextInt(20) : "");
                case 5 -> out.append("blk_").append(r.nextLong());
                case 6 -> out.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(10_000))
                        .append(r.nextBoolean() ? WORDS[r.nextInt(WORDS.length)] : "");
                case 7 -> out.append(randomRun(r, DIGITS[r.nextInt(DIGITS.length)], 6));
                case 8 -> out.append(randomRun(r, "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗①②⑩〇", 4));
                case 9 -> out.append(" port ").append(r.nextInt(65536)).append(" pid=").append(r.nextInt(99999));
                case 10 -> out.append(r.nextBoolean() ? "\n" : "").append(r.nextBoolean() ? "\n" : "  ");
                case 11 -> out.append(SPACES[r.nextInt(SPACES.length)]);
                case 12 -> out.append(randomRun(r, PUNCTUATION, 2));
                default -> out.append(string(r, 3));
            }
        }
        return out.toString();
    }

    /** 1 to {@code max} code points drawn from {@code pool}. */
    private static String randomRun(Random r, String pool, int max) {
        int[] codePoints = pool.codePoints().toArray();
        StringBuilder run = new StringBuilder();
        for (int k = 1 + r.nextInt(max); k > 0; k--) {
            run.appendCodePoint(codePoints[r.nextInt(codePoints.length)]);
        }
        return run.toString();
    }

    /** Up to {@code maxLength} bytes (a little more at most): random bytes, invalid UTF-8 and text. */
    static byte[] bytes(Random r, int maxLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = r.nextInt(maxLength + 1);
        while (out.size() < length) {
            switch (r.nextInt(7)) {
                case 0 -> {
                    for (int k = 1 + r.nextInt(16); k > 0; k--) {
                        out.write(r.nextInt(256));
                    }
                }
                case 1 -> out.writeBytes(string(r, 8).getBytes(StandardCharsets.UTF_8));
                case 2 -> out.writeBytes(new byte[1 + r.nextInt(4)]); // NULs
                case 3 -> out.write(0x80 + r.nextInt(128)); // a high byte alone
                case 4 -> { // a multi-byte character cut short
                    byte[] emoji = EMOJI[r.nextInt(EMOJI.length)].getBytes(StandardCharsets.UTF_8);
                    out.write(emoji, 0, 1 + r.nextInt(Math.min(3, emoji.length - 1)));
                }
                case 5 -> out.writeBytes(new byte[][] {
                    {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xFE}}[r.nextInt(5)]);
                default -> out.writeBytes(WORDS[r.nextInt(WORDS.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
