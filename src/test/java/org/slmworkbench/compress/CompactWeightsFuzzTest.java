package org.slmworkbench.compress;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.slmworkbench.FuzzFiles;
import org.slmworkbench.io.SafetensorsReader;

/**
 * Any bytes as a compact weights file (in {@link FuzzFiles#safetensors}'s form), read with the
 * shapes its own index claims, so that the decoders behind the shape check are reached too.
 */
class CompactWeightsFuzzTest {
    private static final Map<String, long[]> FALLBACK = Map.of("w", new long[] {2, 3});
    private static Path file;

    @BeforeAll
    static void folder() {
        file = FuzzFiles.folder(CompactWeightsFuzzTest.class).resolve(CompactWeights.FILE);
    }

    @FuzzTest(maxDuration = "4s")
    void readWithTheShapesItClaims(byte[] input) throws Exception {
        FuzzFiles.write(file, FuzzFiles.safetensors(input));
        FuzzFiles.readOrRefuse(file, () -> CompactWeights.read(file, claimedShapes(), (name, read) -> { }));
    }

    /** The shapes in the file's index, as a config.json would imply them; a fixed one if there is no index. */
    private static Map<String, long[]> claimedShapes() {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            JsonElement index = JsonParser.parseString(reader.metadata().get("tensors"));
            Map<String, long[]> shapes = new LinkedHashMap<>();
            index.getAsJsonObject().entrySet().forEach(e -> {
                var dims = e.getValue().getAsJsonObject().getAsJsonArray("shape");
                long[] shape = new long[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i).getAsLong();
                }
                shapes.put(e.getKey(), shape);
            });
            return shapes;
        } catch (Exception e) {
            return FALLBACK; // no readable index: CompactWeights.read says what is wrong
        }
    }
}
