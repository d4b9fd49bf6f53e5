package org.slmworkbench.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Tokenizers trained once per test run and shared by the test classes that need them. */
final class TrainedTokenizers {
    /** ~2 MB of log lines, a 4096-token tokenizer trained on it, and the training time. */
    record OnLogs(String text, ByteBpeTokenizer tokenizer, double trainSeconds) {}

    private static OnLogs onLogs;
    private static ByteBpeTokenizer mixed;
    private static ByteBpeTokenizer digits;

    private TrainedTokenizers() {}

    static synchronized OnLogs onLogs() {
        if (onLogs == null) {
            String text = SyntheticLogs.generate(2_000_000, 42);
            long start = System.nanoTime();
            ByteBpeTokenizer tokenizer = ByteBpeTrainer.train(text.getBytes(StandardCharsets.UTF_8), 4096);
            onLogs = new OnLogs(text, tokenizer, (System.nanoTime() - start) / 1e9);
        }
        return onLogs;
    }

    /** 1500 tokens learned from logs mixed with multilingual text, emoji and symbols. */
    static synchronized ByteBpeTokenizer mixed() {
        if (mixed == null) {
            StringBuilder corpus = new StringBuilder(SyntheticLogs.generate(150_000, 7));
            Random random = new Random(7);
            while (corpus.length() < 300_000) {
                corpus.append(RandomText.string(random, 30));
            }
            mixed = ByteBpeTrainer.train(corpus.toString().getBytes(StandardCharsets.UTF_8), 1500);
        }
        return mixed;
    }

    /** 1500 tokens with individual digits, learned from logs mixed with number-rich text. */
    static synchronized ByteBpeTokenizer digits() {
        if (digits == null) {
            StringBuilder corpus = new StringBuilder(SyntheticLogs.generate(150_000, 8));
            Random random = new Random(8);
            while (corpus.length() < 300_000) {
                corpus.append(RandomText.numbers(random, 30));
            }
            digits = ByteBpeTrainer.train(List.of(corpus.toString()), 1500, PreTokenization.GPT2_INDIVIDUAL_DIGITS);
        }
        return digits;
    }
}
