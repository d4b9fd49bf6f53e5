package org.slmworkbench.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a checkpoint's weights as Hugging Face does: one {@code model.safetensors} when they fit
 * in a shard, else {@code model-00001-of-0000N.safetensors} files plus
 * {@code model.safetensors.index.json} ({@code metadata.total_size} in tensor bytes and a
 * {@code weight_map} sorted by name). Tensors fill shards in order; one larger than a shard gets a
 * shard of its own.
 */
public final class SafetensorsFolderWriter {
    /**
     * 2 GiB, below transformers' default of 5 GB, so that every shard stays readable by tools that
     * load a whole file into one array (DJL's {@code NDList.decode} is one).
     */
    public static final long DEFAULT_MAX_SHARD_BYTES = 2L << 30;

    private SafetensorsFolderWriter() {}

    /** Writes the weights into {@code dir} (which must exist) and returns the files written. */
    public static List<Path> write(Path dir, List<TensorEntry> tensors, Map<String, String> metadata, long maxShardBytes)
            throws IOException {
        List<List<TensorEntry>> shards = plan(tensors, maxShardBytes);
        if (shards.size() == 1) {
            SafetensorsWriter.write(dir.resolve(SafetensorsFolder.SINGLE), tensors, metadata);
            return List.of(dir.resolve(SafetensorsFolder.SINGLE));
        }
        List<Path> files = new ArrayList<>();
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsWriter.write(dir.resolve(name), shards.get(i), metadata);
            files.add(dir.resolve(name));
            for (TensorEntry t : shards.get(i)) {
                weightMap.put(t.name(), name);
                total += t.byteCount();
            }
        }
        JsonObject index = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("total_size", total);
        index.add("metadata", meta);
        JsonObject map = new JsonObject();
        weightMap.forEach(map::addProperty);
        index.add("weight_map", map);
        Path indexFile = dir.resolve(SafetensorsFolder.INDEX);
        AtomicFiles.writeString(indexFile, new GsonBuilder().setPrettyPrinting().create().toJson(index) + "\n");
        files.add(indexFile);
        return files;
    }

    private static List<List<TensorEntry>> plan(List<TensorEntry> tensors, long maxShardBytes) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("the shard size must be positive, got " + maxShardBytes);
        }
        List<List<TensorEntry>> shards = new ArrayList<>();
        List<TensorEntry> current = new ArrayList<>();
        long bytes = 0;
        for (TensorEntry t : tensors) {
            if (!current.isEmpty() && bytes + t.byteCount() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(t);
            bytes += t.byteCount();
        }
        shards.add(current);
        return shards;
    }
}
