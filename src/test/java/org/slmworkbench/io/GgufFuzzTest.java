package org.slmworkbench.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.slmworkbench.FuzzFiles;

/** Any bytes as a GGUF file: opened, then every tensor read as floats (dequantized where quantized). */
class GgufFuzzTest {
    private static Path file;

    @BeforeAll
    static void folder() {
        file = FuzzFiles.folder(GgufFuzzTest.class).resolve("model.gguf");
    }

    @FuzzTest(maxDuration = "4s")
    void openAndReadEveryTensor(byte[] input) throws Exception {
        FuzzFiles.write(file, input);
        FuzzFiles.readOrRefuse(file, () -> {
            try (GgufReader reader = GgufReader.open(file)) {
                for (GgufTensorInfo t : reader.tensors()) {
                    reader.readFloats(t.name());
                }
            }
        });
    }
}
