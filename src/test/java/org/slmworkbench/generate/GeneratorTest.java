package org.slmworkbench.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slmworkbench.TaskControl;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.model.LlamaModel;
import org.slmworkbench.model.RandomWeights;

class GeneratorTest {
    static final LlamaConfig C = new LlamaConfig(32, 48, 2, 4, 2, 8, 1e-5, 10000, 40, 30, true, 0, 0);

    @Test
    void greedyTokensAreTheArgmaxOfAFullForwardOverThePrefix() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDManager mm = m.newSubManager();
            LlamaModel model = new LlamaModel(C, mm, new RandomWeights(mm, LlamaModel.tensorShapes(C), 2, 5));
            int[] prompt = {4, 9, 2};
            List<TokenEvent> events = new ArrayList<>();
            GenerationResult r = new Generator(model, -1).generate(prompt, SamplingConfig.greedy(8), events::add, TaskControl.none());
            assertEquals(8, r.newIds().length);
            assertEquals(GenerationResult.StopReason.MAX_TOKENS, r.stopReason());
            assertEquals(8, events.size());
            int[] all = r.allIds();
            for (int i = prompt.length; i < all.length; i++) {
                long[] prefix = Arrays.stream(Arrays.copyOf(all, i)).asLongStream().toArray();
                NDArray logits = model.forward(m.create(prefix, new Shape(1, i)));
                assertEquals(Sampler.argmax(logits.get(new NDIndex(":, -1, :")).toFloatArray()), all[i], "token " + i);
            }
            GenerationResult again = new Generator(model, -1).generate(prompt, SamplingConfig.greedy(8), e -> { }, TaskControl.none());
            assertArrayEquals(r.allIds(), again.allIds());
        }
    }

    @Test
    void stopsAtEosAndAtTheContextLimit() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDManager mm = m.newSubManager();
            LlamaModel model = new LlamaModel(C, mm, new RandomWeights(mm, LlamaModel.tensorShapes(C), 2, 5));
            int[] prompt = {4, 9, 2};
            GenerationResult free = new Generator(model, -1).generate(prompt, SamplingConfig.greedy(5), e -> { }, TaskControl.none());
            int eos = free.newIds()[2];
            GenerationResult stopped = new Generator(model, eos).generate(prompt, SamplingConfig.greedy(5), e -> { }, TaskControl.none());
            assertEquals(GenerationResult.StopReason.EOS, stopped.stopReason());
            assertEquals(eos, stopped.newIds()[stopped.newIds().length - 1]);
            assertEquals(Arrays.stream(free.newIds()).boxed().toList().indexOf(eos) + 1, stopped.newIds().length);

            GenerationResult full = new Generator(model, -1).generate(prompt, SamplingConfig.greedy(100), e -> { }, TaskControl.none());
            assertEquals(GenerationResult.StopReason.CONTEXT_FULL, full.stopReason());
            assertEquals(C.maxPositionEmbeddings(), full.allIds().length);
        }
    }

    @Test
    void cancelStopsBetweenTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDManager mm = m.newSubManager();
            LlamaModel model = new LlamaModel(C, mm, new RandomWeights(mm, LlamaModel.tensorShapes(C), 2, 5));
            TaskControl control = new TaskControl();
            GenerationResult r = new Generator(model, -1).generate(new int[] {1}, SamplingConfig.greedy(20), e -> {
                if (e.index() == 2) {
                    control.cancel();
                }
            }, control);
            assertEquals(GenerationResult.StopReason.CANCELLED, r.stopReason());
            assertEquals(3, r.newIds().length);
        }
    }

    @Test
    void aConfidentExitRunsFewerLayersAndAnUnreachableThresholdChangesNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDManager mm = m.newSubManager();
            LlamaModel model = new LlamaModel(C, mm, new RandomWeights(mm, LlamaModel.tensorShapes(C), 2, 5));
            int[] prompt = {4, 9, 2};
            GenerationResult full = new Generator(model, -1).generate(prompt, SamplingConfig.greedy(10), e -> { }, TaskControl.none());
            assertEquals(2.0, full.meanExitLayer(), 1e-12);
            GenerationResult never = new Generator(model, -1, 0.9999999).generate(prompt, SamplingConfig.greedy(10), e -> { },
                    TaskControl.none());
            assertArrayEquals(full.allIds(), never.allIds());
            assertEquals(2.0, never.meanExitLayer(), 1e-12);
            GenerationResult always = new Generator(model, -1, 1e-9).generate(prompt, SamplingConfig.greedy(10), e -> { },
                    TaskControl.none());
            // the first token comes from the full-depth prefill, the other nine leave after layer 1
            assertEquals((2.0 + 9 * 1.0) / 10, always.meanExitLayer(), 1e-12);
            assertEquals(10, always.newIds().length);
        }
    }
}
