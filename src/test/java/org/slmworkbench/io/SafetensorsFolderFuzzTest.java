package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.slmworkbench.FuzzFiles;

/**
 * Any bytes as {@code model.safetensors.index.json} in a folder that holds two shards, one in a
 * sub-folder, and a link to the folder around it, where a third shard lies. Whatever the index
 * says, every tensor that opens must come from a file in the folder or one of its own sub-folders.
 */
class SafetensorsFolderFuzzTest {
    private static Path model;
    private static Path index;

    @BeforeAll
    static void folder() throws IOException {
        Path base = FuzzFiles.folder(SafetensorsFolderFuzzTest.class);
        model = Files.createDirectories(base.resolve("model"));
        index = model.resolve(SafetensorsFolder.INDEX);
        shard(model.resolve("a.safetensors"), "x");
        shard(Files.createDirectories(model.resolve("sub")).resolve("b.safetensors"), "y");
        shard(base.resolve("outside.safetensors"), "z");
        Files.createSymbolicLink(model.resolve("up"), base);
    }

    private static void shard(Path file, String tensor) throws IOException {
        SafetensorsWriter.write(file, List.of(TensorEntry.floats(tensor, TensorDType.F32, new long[] {2}, () -> new float[] {1, 2})), Map.of());
    }

    @FuzzTest(maxDuration = "4s")
    @DictionaryEntries({"weight_map", "\"x\"", "\"y\"", "\"z\"", "a.safetensors", "sub/b.safetensors", "../outside.safetensors",
            "up/outside.safetensors", "up/model/a.safetensors", "/", "..", "./"})
    void indexNamesOnlyFilesInTheFolder(byte[] input) throws Exception {
        FuzzFiles.write(index, input);
        FuzzFiles.readOrRefuse(model, () -> {
            try (SafetensorsFolder folder = SafetensorsFolder.open(model)) {
                Path inside = model.toRealPath();
                for (TensorInfo t : folder.tensors()) {
                    Path file = folder.fileOf(t.name());
                    assertTrue(file.getParent().toRealPath().startsWith(inside), () -> t.name() + " was read from " + file);
                    folder.readFloats(t.name());
                }
            }
        });
    }
}
