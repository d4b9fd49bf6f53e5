package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompressionConfigTest {
    @Test
    void compactStringsRoundTrip() {
        CompressionConfig c = CompressionConfig.parse("prune=0.5:global-magnitude,share=16,exit=4");
        assertEquals(0.5, c.pruneRatio());
        assertEquals(PruneMethod.GLOBAL_MAGNITUDE, c.pruneMethod());
        assertEquals(16, c.clusters());
        assertEquals(4, c.exitLayer());
        assertEquals("prune=0.5:global-magnitude,share=16,exit=4", c.toCompactString());
        assertEquals("exit=3@0.9", CompressionConfig.parse("exit=3@0.9").toCompactString());
        assertEquals("none", CompressionConfig.parse("none").toCompactString());
        assertEquals(CompressionConfig.NONE, CompressionConfig.parse(""));
        assertEquals(4, CompressionConfig.parse("share=16").bitsPerWeight());
        assertEquals(8, CompressionConfig.parse("share=256").bitsPerWeight());
        assertEquals(1, CompressionConfig.parse("share=2").bitsPerWeight());
    }

    @Test
    void outOfRangeSettingsAreRefusedWithTheRange() {
        assertMessage("prune=0.99", "0..0.95");
        assertMessage("share=1", "2..256");
        assertMessage("share=300", "2..256");
        assertMessage("prune=0.5:lottery", "unknown pruning method");
        assertMessage("prune=half", "malformed number");
        assertMessage("speed=11", "unknown part");
        assertMessage("exit=2@1.5", "[0, 1)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompressionConfig.parse("exit=9").effectiveExitLayer(4));
        assertTrue(e.getMessage().contains("beyond the model's 4 layers"), e.getMessage());
        assertEquals(4, CompressionConfig.NONE.effectiveExitLayer(4));
    }

    private static void assertMessage(String compact, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompressionConfig.parse(compact));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
