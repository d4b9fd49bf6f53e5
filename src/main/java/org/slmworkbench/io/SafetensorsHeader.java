package org.slmworkbench.io;

import static org.slmworkbench.JsonTokens.describe;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slmworkbench.BadInputException;

/**
 * The parsed and fully validated header of a safetensors file. Nothing in a file is trusted: every
 * length, offset and shape is checked before anyone maps or allocates by it, and every problem is a
 * {@link BadInputException} naming the file and, where there is one, the tensor.
 *
 * @param dataStart file position of the data area, which tensor offsets are relative to
 */
record SafetensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors, long dataStart) {
    /** Refuse larger headers outright, as the reference implementation does. */
    static final long MAX_HEADER_BYTES = 100L << 20;
    /** More dimensions than any real tensor has; the cap stops a hostile shape from eating memory. */
    static final int MAX_DIMENSIONS = 64;
    static final String METADATA_KEY = "__metadata__";

    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new BadInputException(file, "file is " + fileSize
                    + " bytes, too short for a safetensors header (at least 8 bytes); the file may be truncated");
        }
        long headerLength = readFully(file, channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new BadInputException(file, "absurd header length " + Long.toUnsignedString(headerLength)
                    + " bytes (file is " + fileSize + " bytes, headers are at most 100 MiB); "
                    + "this does not look like a safetensors file");
        }
        if (headerLength > fileSize - 8) {
            throw new BadInputException(file, "header length " + headerLength + " bytes runs past the end of the file (file is "
                    + fileSize + " bytes); the file may be truncated");
        }
        ByteBuffer json = readFully(file, channel, 8, (int) headerLength);
        return parse(file, json.array(), fileSize - 8 - headerLength, 8 + headerLength);
    }

    private static SafetensorsHeader parse(Path file, byte[] json, long dataSize, long dataStart) {
        var utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (JsonReader reader = new JsonReader(new InputStreamReader(new ByteArrayInputStream(json), utf8))) {
            reader.setStrictness(Strictness.STRICT);
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw new BadInputException(file, "header is not a JSON object");
            }
            Map<String, String> metadata = Map.of();
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            reader.beginObject();
            while (reader.hasNext()) {
                String key = reader.nextName();
                if (key.equals(METADATA_KEY)) {
                    metadata = readMetadata(file, reader);
                } else if (tensors.put(key, readTensor(file, key, reader, dataSize)) != null) {
                    throw new BadInputException(file, "tensor '" + key + "' appears twice in the header");
                }
            }
            reader.endObject();
            try {
                reader.peek(); // in strict mode this throws unless only whitespace follows
            } catch (MalformedJsonException e) {
                throw new BadInputException(file, "header has more after its JSON object", e);
            }
            List<TensorInfo> list = List.copyOf(tensors.values());
            checkNoOverlap(file, list);
            return new SafetensorsHeader(metadata, list, dataStart);
        } catch (CharacterCodingException e) {
            throw new BadInputException(file, "header is not valid UTF-8 text", e);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // Gson adds a troubleshooting link on a second line and, in strict mode, advice meant for programmers.
            String detail = String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    .replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "syntax error");
            throw new BadInputException(file, "header is not valid JSON: " + detail, e);
        }
    }

    private static Map<String, String> readMetadata(Path file, JsonReader reader) throws IOException {
        if (reader.peek() == JsonToken.NULL) {
            reader.nextNull();
            return Map.of();
        }
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new BadInputException(file, METADATA_KEY + " is " + describe(reader.peek()) + ", not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            if (reader.peek() != JsonToken.STRING) {
                throw new BadInputException(file, METADATA_KEY + " value for '" + key + "' is "
                        + describe(reader.peek()) + "; metadata values must be strings");
            }
            metadata.put(key, reader.nextString());
        }
        reader.endObject();
        return Collections.unmodifiableMap(metadata);
    }

    private static TensorInfo readTensor(Path file, String name, JsonReader reader, long dataSize) throws IOException {
        String where = "tensor '" + name + "'";
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new BadInputException(file, where + " is described by " + describe(reader.peek()) + ", not a JSON object");
        }
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        reader.beginObject();
        while (reader.hasNext()) {
            switch (reader.nextName()) {
                case "dtype" -> {
                    if (reader.peek() != JsonToken.STRING) {
                        throw new BadInputException(file, where + " dtype is " + describe(reader.peek()) + ", not a string");
                    }
                    dtypeName = reader.nextString();
                }
                case "shape" -> shape = readWholeNumbers(file, where + " shape", reader, MAX_DIMENSIONS);
                case "data_offsets" -> offsets = readWholeNumbers(file, where + " data_offsets", reader, 2);
                default -> reader.skipValue(); // unknown fields carry nothing we need
            }
        }
        reader.endObject();
        if (dtypeName == null || shape == null || offsets == null) {
            throw new BadInputException(file, where + " lacks " + (dtypeName == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        TensorDType dtype;
        try {
            dtype = TensorDType.parse(dtypeName);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file, where + " has " + e.getMessage());
        }
        return validated(file, where, name, dtype, shape, offsets, dataSize);
    }

    private static TensorInfo validated(Path file, String where, String name, TensorDType dtype, long[] shape,
            long[] offsets, long dataSize) {
        String shapeText = Arrays.toString(shape);
        for (long dim : shape) {
            if (dim < 0) {
                throw new BadInputException(file, where + " has a negative dimension in shape " + shapeText);
            }
        }
        long byteCount;
        try {
            byteCount = Math.multiplyExact(TensorInfo.elementCount(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new BadInputException(file, where + " shape " + shapeText + " is too large: its size overflows 64 bits");
        }
        if (offsets.length != 2) {
            throw new BadInputException(file, where + " data_offsets " + Arrays.toString(offsets)
                    + " should be two numbers [begin, end]");
        }
        long begin = offsets[0];
        long end = offsets[1];
        String offsetText = " data_offsets [" + begin + ", " + end + "]";
        if (begin < 0 || end < begin) {
            throw new BadInputException(file, where + offsetText + " are not a valid range (need 0 <= begin <= end)");
        }
        if (end > dataSize) {
            throw new BadInputException(file, where + offsetText + " run past the end of the file (data area is "
                    + dataSize + " bytes); the file may be truncated");
        }
        if (end - begin != byteCount) {
            throw new BadInputException(file, where + offsetText + " hold " + (end - begin) + " bytes but " + dtype
                    + " shape " + shapeText + " needs " + byteCount);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** Reads a JSON array of at most {@code maxCount} integers, refusing fractions, strings and overflow. */
    private static long[] readWholeNumbers(Path file, String what, JsonReader reader, int maxCount) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            throw new BadInputException(file, what + " is " + describe(reader.peek()) + ", not an array of numbers");
        }
        List<Long> values = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
            if (values.size() == maxCount) {
                throw new BadInputException(file, what + " has more than " + maxCount + " entries");
            }
            if (reader.peek() != JsonToken.NUMBER) {
                throw new BadInputException(file, what + " contains " + describe(reader.peek()) + ", expected whole numbers");
            }
            String literal = reader.nextString();
            try {
                values.add(Long.parseLong(literal));
            } catch (NumberFormatException e) {
                throw new BadInputException(file, what + " contains " + literal + ", expected a whole number within 64 bits");
            }
        }
        reader.endArray();
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** Sorted by start, each non-empty range must begin at or after the end of the one before. */
    private static void checkNoOverlap(Path file, List<TensorInfo> tensors) {
        List<TensorInfo> byBegin = new ArrayList<>(tensors);
        byBegin.removeIf(t -> t.byteCount() == 0); // empty tensors hold no bytes, so cannot collide
        byBegin.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < byBegin.size(); i++) {
            TensorInfo before = byBegin.get(i - 1);
            TensorInfo t = byBegin.get(i);
            if (t.begin() < before.end()) {
                throw new BadInputException(file, "tensors '" + before.name() + "' data_offsets [" + before.begin() + ", "
                        + before.end() + "] and '" + t.name() + "' data_offsets [" + t.begin() + ", " + t.end() + "] overlap");
            }
        }
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new BadInputException(file, "file ended while reading its header; was it truncated while being read?");
            }
        }
        return buffer.flip();
    }
}
