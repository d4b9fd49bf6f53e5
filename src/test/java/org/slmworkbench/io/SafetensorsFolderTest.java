package org.slmworkbench.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.BadInputException;

/** Where a shard index may send the reader: files in the model folder, never beyond it. */
class SafetensorsFolderTest {
    @TempDir
    Path base;

    @Test
    void namesLeadingOutOfTheFolderAreRefused() throws IOException {
        Path model = model();
        Path outside = shard(base.resolve("outside.safetensors"));
        for (String name : List.of("../outside.safetensors", outside.toString(), "sub/../../outside.safetensors")) {
            assertRefused(model, name, "outside the model folder");
        }
    }

    @Test
    void aLinkedFolderCannotLeadOutOfTheFolder() throws IOException {
        Path model = model();
        shard(base.resolve("outside.safetensors"));
        Files.createSymbolicLink(model.resolve("up"), base);
        assertRefused(model, "up/outside.safetensors", "which a linked folder leads outside the model folder");
    }

    @Test
    void aShardThatIsALinkIsReadAsTheHuggingFaceCacheMakesThem() throws IOException {
        Path model = model();
        Path blob = shard(Files.createDirectories(base.resolve("blobs")).resolve("3f2a"));
        Files.createSymbolicLink(model.resolve("model-00001-of-00001.safetensors"), blob);
        index(model, "model-00001-of-00001.safetensors");
        try (SafetensorsFolder folder = SafetensorsFolder.open(model)) {
            assertArrayEquals(new float[] {1, 2}, folder.readFloats("w"));
        }
    }

    private Path model() throws IOException {
        return Files.createDirectories(base.resolve("model"));
    }

    private static Path shard(Path file) throws IOException {
        SafetensorsWriter.write(file, List.of(TensorEntry.floats("w", TensorDType.F32, new long[] {2}, () -> new float[] {1, 2})), Map.of());
        return file;
    }

    private static void index(Path model, String shard) throws IOException {
        Files.writeString(model.resolve(SafetensorsFolder.INDEX), "{\"weight_map\":{\"w\":\"" + shard.replace("\\", "\\\\") + "\"}}");
    }

    private static void assertRefused(Path model, String shard, String expected) throws IOException {
        index(model, shard);
        BadInputException e = assertThrows(BadInputException.class, () -> SafetensorsFolder.open(model).close());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
