package org.slmworkbench.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectionTest {
    @Test
    void averagePrecisionByHand() {
        // ranked: +, -, +, - : precision 1 at the first hit, 2/3 at the second
        double ap = Detection.averagePrecision(new double[] {0.9, 0.8, 0.7, 0.1}, new boolean[] {true, false, true, false});
        assertEquals((1.0 + 2.0 / 3) / 2, ap, 1e-12);
        // a tie of one positive and one negative enters as one step at precision 1/2
        assertEquals(0.5, Detection.averagePrecision(new double[] {1, 1}, new boolean[] {true, false}), 1e-12);
    }

    @Test
    void thresholdIsAQuantileOfTheAdaptationScores() {
        double[] calibration = new double[10_000];
        Arrays.setAll(calibration, i -> i);
        AlertThreshold t = AlertThreshold.calibrate(calibration, 50);
        // 50 of 10,000 calibration lines lie above the threshold
        assertEquals(50, Arrays.stream(calibration).filter(t::alerts).count());
        assertEquals(9949, t.threshold());
    }

    @Test
    void groupsAndSessionsFromTheHighestLine() {
        // two sessions: a (anomalous) holds lines 0-1, b (normal) lines 2-3
        LogTruth truth = new LogTruth(new boolean[] {true, true, false, false}, List.of("a", "a", "b", "b"), Map.of("a", true, "b", false),
                "job");
        Detection d = Detection.of(new double[] {0.1, 5, 3, 0.2}, truth, new AlertThreshold(1, 4));
        assertEquals(1, d.alerts());
        assertEquals(1.0, d.precision());
        assertEquals(0.5, d.recall());
        assertEquals(1, d.groupsCaught());
        assertEquals(1, d.groups());
        assertEquals(1.0, d.sessionAuc(), "a's highest line (5) beats b's (3)");
        assertEquals(0.5, d.rocAuc(), 1e-12, "5 beats both normal lines, 0.1 neither");
    }
}
