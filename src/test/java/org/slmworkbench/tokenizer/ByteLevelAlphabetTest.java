package org.slmworkbench.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ByteLevelAlphabetTest {

    @Test
    void everyByteHasItsOwnCharacterAndComesBack() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        String chars = ByteLevelAlphabet.encode(all);
        assertEquals(256, chars.chars().distinct().count());
        assertArrayEquals(all, ByteLevelAlphabet.decode(chars));
    }

    @Test
    void matchesGpt2Table() {
        assertEquals("Ġ", ByteLevelAlphabet.encode(new byte[] {' '}));
        assertEquals("Ċ", ByteLevelAlphabet.encode(new byte[] {'\n'}));
        assertEquals("Ā", ByteLevelAlphabet.encode(new byte[] {0}));
        assertEquals("\u0143", ByteLevelAlphabet.encode(new byte[] {(byte) 0xAD}));
        assertEquals("aZ~", ByteLevelAlphabet.encode(new byte[] {'a', 'Z', '~'}));
    }

    @Test
    void charactersOutsideTheTableAreRejected() {
        assertNull(ByteLevelAlphabet.decode("a b"), "a real space is not a byte-level character");
        assertNull(ByteLevelAlphabet.decode("\u0144"), "one past the last mapped character");
    }
}
