package org.slmworkbench.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slmworkbench.BadInputException;

/**
 * The weights of a Hugging Face checkpoint folder: one {@code model.safetensors}, or shards listed
 * in {@code model.safetensors.index.json} (its {@code weight_map} sends each tensor name to a
 * shard file), as transformers writes them above its shard size. Every shard is opened through
 * {@link SafetensorsReader}, so tensors are read memory-mapped one at a time.
 *
 * <p>The index is checked before any tensor is read: every file it names stays inside the folder
 * (by its path; a shard may be a symbolic link, as in the Hugging Face cache, where snapshots link
 * to blobs), exists, and holds the tensors mapped to it.
 */
public final class SafetensorsFolder implements AutoCloseable {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";
    /** An index maps names to files; even a model with 100k tensors needs only a few MiB. */
    private static final long MAX_INDEX_BYTES = 64L << 20;

    private final Map<String, SafetensorsReader> readerOf;
    private final List<SafetensorsReader> readers;

    private SafetensorsFolder(Map<String, SafetensorsReader> readerOf, List<SafetensorsReader> readers) {
        this.readerOf = readerOf;
        this.readers = readers;
    }

    /** True when {@code dir} has a single weights file or a shard index. */
    public static boolean existsIn(Path dir) {
        return Files.isRegularFile(dir.resolve(SINGLE)) || Files.isRegularFile(dir.resolve(INDEX));
    }

    /** Opens the single file if there is one (as transformers prefers it), else the shards of the index. */
    public static SafetensorsFolder open(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(SINGLE))) {
            SafetensorsReader reader = SafetensorsReader.open(dir.resolve(SINGLE));
            Map<String, SafetensorsReader> readerOf = new LinkedHashMap<>();
            reader.tensors().forEach(t -> readerOf.put(t.name(), reader));
            return new SafetensorsFolder(readerOf, List.of(reader));
        }
        if (!Files.isRegularFile(dir.resolve(INDEX))) {
            throw new BadInputException(dir, "has neither " + SINGLE + " nor " + INDEX);
        }
        return openShards(dir, dir.resolve(INDEX));
    }

    private static SafetensorsFolder openShards(Path dir, Path index) throws IOException {
        Map<String, String> weightMap = readWeightMap(index);
        Map<String, SafetensorsReader> byFile = new LinkedHashMap<>();
        Map<String, SafetensorsReader> readerOf = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafetensorsReader reader = byFile.get(e.getValue());
                if (reader == null) {
                    reader = SafetensorsReader.open(shardPath(dir, index, e.getKey(), e.getValue()));
                    byFile.put(e.getValue(), reader);
                }
                if (reader.find(e.getKey()).isEmpty()) {
                    throw new BadInputException(index, "weight_map puts tensor '" + e.getKey() + "' in " + e.getValue()
                            + ", which has no such tensor");
                }
                readerOf.put(e.getKey(), reader);
            }
        } catch (RuntimeException | IOException e) {
            closeAll(byFile.values());
            throw e;
        }
        return new SafetensorsFolder(readerOf, new ArrayList<>(byFile.values()));
    }

    private static Map<String, String> readWeightMap(Path index) throws IOException {
        if (Files.size(index) > MAX_INDEX_BYTES) {
            throw new BadInputException(index, "is " + Files.size(index) + " bytes; a shard index is at most 64 MiB");
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(index, StandardCharsets.UTF_8));
        } catch (JsonParseException | java.nio.charset.MalformedInputException e) {
            throw new BadInputException(index, "is not valid JSON");
        }
        JsonElement map = root.isJsonObject() ? root.getAsJsonObject().get("weight_map") : null;
        if (map == null || !map.isJsonObject() || map.getAsJsonObject().isEmpty()) {
            throw new BadInputException(index, "has no weight_map object naming the shard of each tensor");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : ((JsonObject) map).entrySet()) {
            JsonElement file = e.getValue();
            if (!file.isJsonPrimitive() || !file.getAsJsonPrimitive().isString()) {
                throw new BadInputException(index, "weight_map entry '" + e.getKey() + "' should name a file, got " + file);
            }
            weightMap.put(e.getKey(), file.getAsString());
        }
        return weightMap;
    }

    /**
     * The shard's path, refused unless it stays inside the folder: no absolute paths, no "..", no
     * drive letters, and no linked folder on the way. The shard file itself may be a link, as the
     * Hugging Face cache makes them.
     */
    private static Path shardPath(Path dir, Path index, String tensor, String file) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Path shard;
        try {
            shard = base.resolve(file).normalize();
        } catch (InvalidPathException e) {
            throw new BadInputException(index, "weight_map sends '" + tensor + "' to '" + file + "', which is not a valid file name");
        }
        if (Path.of(file).isAbsolute() || !shard.startsWith(base) || shard.equals(base)) {
            throw new BadInputException(index, "weight_map sends '" + tensor + "' to '" + file + "', outside the model folder");
        }
        if (!Files.isRegularFile(shard)) {
            throw new BadInputException(index, "weight_map names shard '" + file + "', which does not exist");
        }
        if (!shard.getParent().toRealPath().startsWith(base.toRealPath())) {
            throw new BadInputException(index, "weight_map sends '" + tensor + "' to '" + file
                    + "', which a linked folder leads outside the model folder");
        }
        return shard;
    }

    /** Every tensor, in file order (index order for shards). */
    public List<TensorInfo> tensors() {
        List<TensorInfo> all = new ArrayList<>();
        readerOf.forEach((name, reader) -> all.add(reader.get(name)));
        return all;
    }

    public Optional<TensorInfo> find(String name) {
        SafetensorsReader reader = readerOf.get(name);
        return reader == null ? Optional.empty() : reader.find(name);
    }

    /** The file that holds {@code name}, for messages. */
    public Path fileOf(String name) {
        return reader(name).file();
    }

    /** The values of a floating-point tensor as floats (F16 and BF16 widened in Java). */
    public float[] readFloats(String name) throws IOException {
        return reader(name).readFloats(name);
    }

    /** As {@link SafetensorsReader#readFloats(String, FloatBuffer)}: into {@code dst}, which may be direct. */
    public void readFloats(String name, FloatBuffer dst) throws IOException {
        reader(name).readFloats(name, dst);
    }

    /** As {@link SafetensorsReader#readHalves}: a 16-bit tensor's bit patterns into {@code dst}. */
    public void readHalves(String name, ShortBuffer dst) throws IOException {
        reader(name).readHalves(name, dst);
    }

    private SafetensorsReader reader(String name) {
        SafetensorsReader reader = readerOf.get(name);
        if (reader == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'");
        }
        return reader;
    }

    @Override
    public void close() throws IOException {
        closeAll(readers);
    }

    private static void closeAll(Iterable<SafetensorsReader> readers) throws IOException {
        IOException first = null;
        for (SafetensorsReader r : readers) {
            try {
                r.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
