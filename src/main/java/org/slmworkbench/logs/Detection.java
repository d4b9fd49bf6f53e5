package org.slmworkbench.logs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slmworkbench.bench.RocAuc;

/**
 * How well one scorer's test-period scores find the anomalies: per-line ROC AUC and PR-AUC
 * (average precision), precision, recall and F1 at a threshold calibrated on the adaptation period,
 * the anomalous groups (bursts, instances, jobs) with at least one alert, and for session-labelled
 * logs the session AUC, a session scoring its highest line.
 */
public record Detection(double rocAuc, double prAuc, double precision, double recall, double f1, int alerts, int groupsCaught,
        int groups, double sessionAuc) {

    public static Detection of(double[] scores, LogTruth truth, AlertThreshold threshold) {
        boolean[] y = truth.anomalous();
        int tp = 0;
        int alerts = 0;
        int positives = 0;
        Map<String, Boolean> caught = new HashMap<>();
        Map<String, Double> sessionScore = new HashMap<>();
        for (int i = 0; i < scores.length; i++) {
            boolean alert = threshold.alerts(scores[i]);
            alerts += alert ? 1 : 0;
            positives += y[i] ? 1 : 0;
            tp += alert && y[i] ? 1 : 0;
            String g = truth.group().get(i);
            if (g != null) {
                caught.merge(g, alert, Boolean::logicalOr);
                sessionScore.merge(g, scores[i], Math::max);
            }
        }
        int groups = 0;
        int groupsCaught = 0;
        for (Map.Entry<String, Boolean> e : truth.groupAnomalous().entrySet()) {
            if (e.getValue()) {
                groups++;
                groupsCaught += caught.getOrDefault(e.getKey(), false) ? 1 : 0;
            }
        }
        double precision = alerts == 0 ? 0 : (double) tp / alerts;
        double recall = positives == 0 ? 0 : (double) tp / positives;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Detection(RocAuc.of(scores, y), averagePrecision(scores, y), precision, recall, f1, alerts, groupsCaught, groups,
                truth.sessionLabelled() ? sessionAuc(sessionScore, truth.groupAnomalous()) : Double.NaN);
    }

    private static double sessionAuc(Map<String, Double> score, Map<String, Boolean> label) {
        List<String> names = new ArrayList<>(score.keySet());
        double[] s = new double[names.size()];
        boolean[] y = new boolean[names.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = score.get(names.get(i));
            y[i] = label.get(names.get(i));
        }
        return RocAuc.of(s, y);
    }

    /** Area under the precision-recall curve as average precision; tied scores enter together. */
    static double averagePrecision(double[] scores, boolean[] positive) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        long positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        if (positives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        long tp = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            long tiedPositives = 0;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                tiedPositives += positive[order[j]] ? 1 : 0;
                j++;
            }
            tp += tiedPositives;
            ap += (double) tiedPositives / positives * ((double) tp / j);
            i = j;
        }
        return ap;
    }
}
