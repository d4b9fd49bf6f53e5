package org.slmworkbench.checkpoint;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slmworkbench.BadInputException;
import org.slmworkbench.io.SafetensorsReader;
import org.slmworkbench.io.SafetensorsWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorEntry;
import org.slmworkbench.io.TensorInfo;

/**
 * What a resume needs beyond the weights: the optimizer's moments and step, and the run's settings
 * (as JSON) so a resume can check it continues the same run. Stored as a safetensors file.
 */
public record TrainingState(int step, String runJson, Map<String, NDArray> moments) {
    public static final String FILE = "training_state.safetensors";

    public void write(Path file) throws IOException {
        List<TensorEntry> entries = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : moments.entrySet()) {
            NDArray a = e.getValue();
            entries.add(TensorEntry.floats(e.getKey(), TensorDType.F32, a.getShape().getShape(), a::toFloatArray));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", Integer.toString(step));
        meta.put("run", runJson);
        SafetensorsWriter.write(file, entries, meta);
    }

    /** A saved state: step, settings and moments as plain arrays. */
    public record Saved(int step, JsonObject run, Map<String, float[]> moments) {}

    public static boolean existsIn(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    public static Saved read(Path dir) {
        Path file = dir.resolve(FILE);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            int step;
            JsonObject run;
            try {
                step = Integer.parseInt(r.metadata().getOrDefault("step", ""));
                run = JsonParser.parseString(r.metadata().getOrDefault("run", "")).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new BadInputException(file, "metadata lacks a valid step or run description; cannot resume from it");
            }
            Map<String, float[]> moments = new LinkedHashMap<>();
            for (TensorInfo t : r.tensors()) {
                moments.put(t.name(), r.readFloats(t.name()));
            }
            return new Saved(step, run, moments);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read: " + e.getMessage());
        }
    }
}
