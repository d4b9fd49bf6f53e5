package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8RunsTest {

    /** Runs as their text, stray bytes as "#XX". */
    private static List<String> parts(int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        List<String> parts = new ArrayList<>();
        Utf8Runs.split(data, parts::add, b -> parts.add(String.format("#%02X", b)));
        return parts;
    }

    @Test
    void wellFormedTextIsOneRun() {
        assertEquals(List.of("aé€😀"), parts('a', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80));
    }

    @Test
    void strayBytesSplitRuns() {
        assertEquals(List.of("ab", "#FF", "cd", "#80"), parts('a', 'b', 0xFF, 'c', 'd', 0x80));
    }

    @Test
    void malformedSequencesAreStrayBytes() {
        assertEquals(List.of("#C0", "#AF"), parts(0xC0, 0xAF), "overlong");
        assertEquals(List.of("#ED", "#A0", "#80"), parts(0xED, 0xA0, 0x80), "surrogate");
        assertEquals(List.of("#F4", "#90", "#80", "#80"), parts(0xF4, 0x90, 0x80, 0x80), "above U+10FFFF");
        assertEquals(List.of("x", "#E2", "#82"), parts('x', 0xE2, 0x82), "cut short at the end");
        assertEquals(List.of("#E2", "#82", "y"), parts(0xE2, 0x82, 'y'), "cut short before ASCII");
    }

    @Test
    void nulIsText() {
        assertEquals(List.of("\0a\0"), parts(0, 'a', 0));
    }
}
