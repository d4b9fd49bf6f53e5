package org.slmworkbench.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.model.LlamaConfig;
import org.slmworkbench.tokenizer.ByteBpeTokenizer;

/** A tokenizer.json with more entries than config.json's vocab_size, as Hugging Face's tiny random test models have. */
class LargerTokenizerTest {
    @Test
    void loadsAndRefusesOnlyATextThatNeedsAnIdPastTheVocabulary(@TempDir Path dir) throws Exception {
        ByteBpeTokenizer tokenizer = TinyModels.tokenizer();
        assertTrue(tokenizer.vocabSize() > 260, "the tokenizer has " + tokenizer.vocabSize() + " entries");
        LlamaConfig c = new LlamaConfig(32, 64, 2, 4, 2, 8, 1e-5, 10000, 64, 258, true, 0, 0);
        Path model = dir.resolve("m");
        RandomCheckpoint.write(model, CheckpointShape.of(c), TensorDType.F32, 1, tokenizer::save);
        try (NDManager m = NDManager.newBaseManager(); LoadedLm loaded = CheckpointLoader.load(model, m)) {
            assertEquals(258, loaded.tokenizer().vocabSize(), "ids the model can embed");
            String merged = TinyModels.logText(3);
            BadInputException e = assertThrows(BadInputException.class, () -> loaded.tokenizer().encode(merged));
            assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("vocab_size is 258"), e.getMessage());
            assertEquals("ab", loaded.tokenizer().decode(tokenizer.encode("ab")));
        }
    }
}
