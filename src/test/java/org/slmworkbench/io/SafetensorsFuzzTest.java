package org.slmworkbench.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.slmworkbench.FuzzFiles;

/** Any bytes as a safetensors file: opened, then every tensor read, across small mapping windows. */
class SafetensorsFuzzTest {
    private static Path file;

    @BeforeAll
    static void folder() {
        file = FuzzFiles.folder(SafetensorsFuzzTest.class).resolve("model.safetensors");
    }

    @FuzzTest(maxDuration = "4s")
    void openAndReadEveryTensor(byte[] input) throws Exception {
        FuzzFiles.write(file, FuzzFiles.safetensors(input));
        FuzzFiles.readOrRefuse(file, () -> {
            try (SafetensorsReader reader = SafetensorsReader.open(file, 64)) {
                for (TensorInfo t : reader.tensors()) {
                    if (t.dtype().isFloatingPoint()) {
                        reader.readFloats(t.name());
                    } else {
                        reader.readBytes(t.name());
                    }
                }
            }
        });
    }
}
