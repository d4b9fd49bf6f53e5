package org.slmworkbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressTextTest {
    @Test
    void estimatesWhatIsLeftAtThePaceSoFar() {
        assertEquals("Scoring — 25%, about 30 s left", ProgressText.of("Scoring", 0.25, 10));
        assertEquals("Exporting — 50%, about 2 min 0 s left", ProgressText.of("Exporting", 0.5, 120));
        assertEquals("Counting", ProgressText.of("Counting", -1, 5), "no fraction, no estimate");
        assertEquals("Starting — 1%", ProgressText.of("Starting", 0.01, 3), "too early to tell");
        assertEquals("1 h 1 min", ProgressText.duration(3690));
    }
}
