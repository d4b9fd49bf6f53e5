package org.slmworkbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slmworkbench.TaskControl;
import org.slmworkbench.TestArrays;
import org.slmworkbench.checkpoint.TinyModels;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

class TrainerTest {
    static final ByteBpeTokenizer TOK = TinyModels.tokenizer();
    static final int[] TOKENS = TOK.encode(TinyModels.logText(300));
    static final LlamaConfig C = TinyModels.config(TOK.vocabSize());

    static TrainConfig config(int steps) {
        return new TrainConfig(steps, 4, 32, 3e-3, 3e-4, 2, 0.1, 1.0, 11, 1000, 8, 0, 0);
    }

    @Test
    void lossFallsOnRepetitiveLogs() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(C, m, 1)) {
            TokenWindows data = new TokenWindows(TOKENS, 32);
            Trainer t = new Trainer(model, config(40), data, null);
            double before = t.evaluate(data, 16);
            List<TrainingProgress> events = new ArrayList<>();
            TrainResult r = t.run(events::add, TaskControl.none(), null);
            double after = t.evaluate(data, 16);
            assertEquals(40, events.size());
            assertEquals(40, r.stepsDone());
            assertTrue(after < before - 1.0, "loss " + before + " -> " + after);
            assertTrue(events.get(39).tokensPerSecond() > 0 && events.get(39).etaSeconds() == 0);
        }
    }

    @Test
    void theEarlyExitLossMakesTheFirstLayerPredict() {
        TokenWindows data = new TokenWindows(TOKENS, 32);
        double[] exitLoss = new double[2];
        double[] finalLoss = new double[2];
        for (int run = 0; run < 2; run++) {
            try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(C.withLayers(4), m, 3)) {
                new Trainer(model, config(80).withExitLoss(run), data, null).run(p -> { }, TaskControl.none(), null);
                try (NDManager step = m.newSubManager()) {
                    NDArray[] xy = data.windows(step, data.evenStarts(8));
                    List<NDArray> exits = model.exitLogits(xy[0]);
                    exitLoss[run] = Losses.crossEntropy(exits.get(0), xy[1]).getFloat();
                    finalLoss[run] = Losses.crossEntropy(exits.get(exits.size() - 1), xy[1]).getFloat();
                    // one pass gives what separate exits give
                    assertTrue(TestArrays.maxAbsDiff(exits.get(0).toFloatArray(), model.forward(xy[0], null, 1).toFloatArray()) < 1e-4);
                }
            }
        }
        // without the exit loss the first layer's exit lags the last one; with it the gap closes most of the way
        double gapWithout = exitLoss[0] - finalLoss[0];
        double gapWith = exitLoss[1] - finalLoss[1];
        assertTrue(exitLoss[1] < exitLoss[0] - 0.1, "exit at layer 1: " + exitLoss[0] + " without, " + exitLoss[1] + " with the exit loss");
        assertTrue(gapWith < gapWithout / 2, "gap to the last layer: " + gapWithout + " without, " + gapWith + " with");
        assertTrue(finalLoss[1] < finalLoss[0] + 0.2, "the last layer keeps most of its quality: " + finalLoss[0] + " -> " + finalLoss[1]);
    }

    @Test
    void resumingFromSavedStateContinuesExactly() {
        TokenWindows data = new TokenWindows(TOKENS, 32);
        Map<String, float[]> straight;
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(C, m, 5)) {
            try (Trainer t = new Trainer(model, config(6), data, null)) {
                t.run(p -> { }, TaskControl.none(), null);
            }
            straight = weights(model);
        }
        Map<String, float[]> halfWeights = new LinkedHashMap<>();
        Map<String, float[]> halfMoments = new LinkedHashMap<>();
        int[] savedStep = new int[1];
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(C, m, 5)) {
            TrainConfig cfg = config(6).withCheckpointEvery(3);
            TaskControl control = new TaskControl();
            new Trainer(model, cfg, data, null).run(p -> { }, control, (step, mdl, opt, soFar) -> {
                savedStep[0] = step;
                halfWeights.putAll(weights(model));
                opt.state().forEach((k, a) -> halfMoments.put(k, a.toFloatArray()));
                control.cancel();
            });
        }
        assertEquals(3, savedStep[0]);
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(C, m, 77)) {
            model.parameters().forEach((k, p) -> p.getArray().set(halfWeights.get(k)));
            Trainer resumed = new Trainer(model, config(6), data, null);
            resumed.optimizer().restore(halfMoments, arrays(model), savedStep[0]);
            TrainResult r = resumed.run(p -> { }, TaskControl.none(), null);
            assertEquals(6, r.stepsDone());
            TestArrays.assertSameWeights(straight, weights(model));
        }
    }

    @Test
    void cancelStopsBeforeTheNextStep() {
        try (NDManager m = NDManager.newBaseManager(); LlamaModel model = TinyModels.random(C, m, 1)) {
            TaskControl control = new TaskControl();
            TrainResult r = new Trainer(model, config(50), new TokenWindows(TOKENS, 32), null).run(p -> {
                if (p.step() == 4) {
                    control.cancel();
                }
            }, control, null);
            assertTrue(r.cancelled());
            assertEquals(4, r.stepsDone());
        }
    }

    @Test
    void adamWStepMatchesTheTextbookFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w0 = {0.5f, -1.0f, 2.0f};
            float[] g = {0.1f, -0.2f, 0.3f};
            NDArray w = m.create(w0);
            float lr = 0.01f;
            float wd = 0.1f;
            try (AdamW opt = new AdamW(m)) {
                for (int step = 1; step <= 2; step++) {
                    opt.beginStep();
                    opt.update("w", w, m.create(g), lr, wd, 0.5f);
                }
            }
            // decoupled decay, then the bias-corrected Adam step on the scaled gradient (eps is negligible)
            double[] expected = new double[3];
            for (int i = 0; i < 3; i++) {
                double x = w0[i];
                double mm = 0;
                double vv = 0;
                for (int t = 1; t <= 2; t++) {
                    double gi = g[i] * 0.5;
                    mm = AdamW.BETA1 * mm + (1 - AdamW.BETA1) * gi;
                    vv = AdamW.BETA2 * vv + (1 - AdamW.BETA2) * gi * gi;
                    x *= 1 - lr * wd;
                    double mh = mm / (1 - Math.pow(AdamW.BETA1, t));
                    double vh = vv / (1 - Math.pow(AdamW.BETA2, t));
                    x -= lr * mh / Math.sqrt(vh);
                }
                expected[i] = x;
            }
            float[] got = w.toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], got[i], 1e-5, "element " + i);
            }
        }
    }

    @Test
    void scheduleWarmsUpThenDecaysToTheFloor() {
        TrainConfig c = new TrainConfig(100, 1, 2, 1e-3, 1e-4, 10, 0, 1, 0, 10, 1, 0, 0);
        assertEquals(1e-4, c.lrAt(1), 1e-12);
        assertEquals(1e-3, c.lrAt(10), 1e-12);
        assertEquals(5.5e-4, c.lrAt(55), 1e-9);
        assertEquals(1e-4, c.lrAt(100), 1e-12);
    }

    static Map<String, float[]> weights(LlamaModel model) {
        Map<String, float[]> w = new LinkedHashMap<>();
        model.parameters().forEach((k, p) -> w.put(k, p.getArray().toFloatArray()));
        return w;
    }

    static Map<String, NDArray> arrays(LlamaModel model) {
        Map<String, NDArray> a = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            a.put(e.getKey(), e.getValue().getArray());
        }
        return a;
    }
}
