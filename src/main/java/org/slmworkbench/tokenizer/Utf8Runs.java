package org.slmworkbench.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Cuts bytes into maximal runs of well-formed UTF-8 and the stray bytes between them, so that
 * arbitrary bytes (binary junk in a log, a cut multi-byte character) survive a round trip.
 */
final class Utf8Runs {
    private Utf8Runs() {}

    /**
     * Hands each maximal well-formed run, decoded, to {@code run}, and each byte that belongs to
     * no well-formed sequence to {@code strayByte} (as 0..255), in order.
     */
    static void split(byte[] data, Consumer<String> run, IntConsumer strayByte) {
        int runStart = 0;
        int i = 0;
        while (i < data.length) {
            int length = sequenceLength(data, i);
            if (length > 0) {
                i += length;
                continue;
            }
            if (i > runStart) {
                run.accept(new String(data, runStart, i - runStart, StandardCharsets.UTF_8));
            }
            strayByte.accept(data[i] & 0xFF);
            runStart = ++i;
        }
        if (i > runStart) {
            run.accept(new String(data, runStart, i - runStart, StandardCharsets.UTF_8));
        }
    }

    /**
     * Length of the well-formed UTF-8 sequence at {@code at}, or 0 if there is none (overlong
     * forms, surrogates and code points above U+10FFFF are not well-formed; see Unicode table
     * 3-7).
     */
    private static int sequenceLength(byte[] data, int at) {
        int b0 = data[at] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        int length;
        int secondLow = 0x80;
        int secondHigh = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            length = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            length = 3;
            if (b0 == 0xE0) {
                secondLow = 0xA0;
            } else if (b0 == 0xED) {
                secondHigh = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            length = 4;
            if (b0 == 0xF0) {
                secondLow = 0x90;
            } else if (b0 == 0xF4) {
                secondHigh = 0x8F;
            }
        } else {
            return 0;
        }
        if (at + length > data.length) {
            return 0;
        }
        int b1 = data[at + 1] & 0xFF;
        if (b1 < secondLow || b1 > secondHigh) {
            return 0;
        }
        for (int k = 2; k < length; k++) {
            int b = data[at + k] & 0xFF;
            if (b < 0x80 || b > 0xBF) {
                return 0;
            }
        }
        return length;
    }
}
