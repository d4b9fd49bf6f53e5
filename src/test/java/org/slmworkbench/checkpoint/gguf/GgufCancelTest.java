package org.slmworkbench.checkpoint.gguf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.checkpoint.ModelExport;
import org.slmworkbench.compress.CompressionConfig;

/** A GGUF export reports its progress tensor by tensor, and one cancelled midway leaves nothing behind, as the window needs. */
class GgufCancelTest {
    private static final Path LOGLM = Path.of("models", "loglm-tiny");

    @Test
    void progressRisesAndACancelLeavesNothing(@TempDir Path tmp) throws Exception {
        try (NDManager root = NDManager.newBaseManager(); LoadedLm m = CheckpointLoader.load(LOGLM, root)) {
            List<Double> seen = new ArrayList<>();
            ModelExport.write(LOGLM, m.model(), CompressionConfig.NONE, ModelExport.Format.GGUF, GgufOutType.Q8_0, tmp.resolve("done"), "",
                    "test", seen::add);
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) >= seen.get(i - 1), "progress never goes back: " + seen);
            }
            assertTrue(seen.size() > 10 && seen.get(seen.size() - 1) > 0.9, seen.toString());
            Path out = tmp.resolve("cancelled");
            assertThrows(CancellationException.class, () -> ModelExport.write(LOGLM, m.model(), CompressionConfig.NONE,
                    ModelExport.Format.GGUF, GgufOutType.Q8_0, out, "", "test", f -> {
                        if (f > 0.5) {
                            throw new CancellationException();
                        }
                    }));
            assertFalse(out.toFile().exists(), "a cancelled export leaves no folder");
            assertFalse(tmp.toFile().list().length > 1, "nor a staging folder: " + String.join(", ", tmp.toFile().list()));
        }
    }
}
