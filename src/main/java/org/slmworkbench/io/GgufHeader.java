package org.slmworkbench.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The header of a GGUF file, read and checked in full: magic and version, every key/value (types
 * known, strings UTF-8, no key twice, no array of arrays), every tensor info (1..4 dimensions of at
 * least 1, a known type whose blocks fit its rows, no name twice, element and byte counts without
 * overflow), and the data: each tensor at an offset aligned to {@code general.alignment}, inside
 * the file, none overlapping another. Counts and lengths are checked against the bytes left before
 * anything is allocated for them.
 */
record GgufHeader(int version, Map<String, GgufValue> metadata, List<GgufTensorInfo> tensors, long alignment, long dataStart) {
    static final byte[] MAGIC = {'G', 'G', 'U', 'F'};
    static final int MAX_DIMS = 4;
    /** Bytes of the smallest key/value (empty key, type, one byte) and tensor info (empty name, one dimension). */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    static GgufHeader read(Path file, FileChannel channel) throws IOException {
        GgufInput in = new GgufInput(file, channel);
        if (in.size() < MAGIC.length || !Arrays.equals(in.bytes(MAGIC.length), MAGIC)) {
            throw in.fail("is not a GGUF file (it does not start with the bytes GGUF)");
        }
        long version = in.u32();
        if (version != GgufWriter.VERSION) {
            throw in.fail("is GGUF version " + version + "; this reader reads version " + GgufWriter.VERSION);
        }
        long tensorCount = in.u64();
        long kvCount = in.u64();
        in.requireRoom(kvCount, MIN_KV_BYTES, "key/values");
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("key " + i);
            if (metadata.containsKey(key)) {
                throw in.fail("has the key '" + key + "' twice");
            }
            metadata.put(key, value(in, key));
        }
        long alignment = GgufWriter.ALIGNMENT;
        if (metadata.containsKey(GgufWriter.ALIGNMENT_KEY)) {
            alignment = alignmentOf(metadata.get(GgufWriter.ALIGNMENT_KEY)).orElseThrow(() ->
                    in.fail(GgufWriter.ALIGNMENT_KEY + " must be a UINT32 power of two"));
        }
        in.requireRoom(tensorCount, MIN_TENSOR_INFO_BYTES, "tensors");
        List<GgufTensorInfo> tensors = new ArrayList<>();
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            GgufTensorInfo t = tensorInfo(in, i, alignment);
            if (names.put(t.name(), true) != null) {
                throw in.fail("has two tensors named '" + t.name() + "'");
            }
            tensors.add(t);
        }
        long dataStart = (in.position() + alignment - 1) / alignment * alignment;
        checkData(in, tensors, dataStart);
        return new GgufHeader((int) version, Collections.unmodifiableMap(metadata), List.copyOf(tensors), alignment, dataStart);
    }

    /** The alignment a {@code general.alignment} value sets, if it is a valid one. */
    static Optional<Long> alignmentOf(GgufValue v) {
        if (v.type() != GgufValueType.UINT32) {
            return Optional.empty();
        }
        long a = v.asLong();
        return a > 0 && Long.bitCount(a) == 1 ? Optional.of(a) : Optional.empty();
    }

    private static GgufValue value(GgufInput in, String key) throws IOException {
        long typeId = in.u32();
        GgufValueType type = GgufValueType.ofId(typeId).orElseThrow(() ->
                in.fail("key '" + key + "' has value type " + typeId + ", which GGUF does not define"));
        if (type != GgufValueType.ARRAY) {
            return new GgufValue(type, null, scalar(in, type, key));
        }
        long elementId = in.u32();
        GgufValueType element = GgufValueType.ofId(elementId).orElseThrow(() ->
                in.fail("key '" + key + "' is an array of type " + elementId + ", which GGUF does not define"));
        if (element == GgufValueType.ARRAY) {
            throw in.fail("key '" + key + "' is an array of arrays, which this reader does not read");
        }
        long count = in.u64();
        in.requireRoom(count, element.minBytes(), "elements in the array '" + key + "'");
        List<Object> list = new ArrayList<>((int) Math.min(count, 1 << 16));
        for (long i = 0; i < count; i++) {
            list.add(scalar(in, element, key));
        }
        return new GgufValue(type, element, Collections.unmodifiableList(list));
    }

    private static Object scalar(GgufInput in, GgufValueType type, String key) throws IOException {
        return switch (type) {
            case UINT8 -> (long) in.u8();
            case INT8 -> (long) (byte) in.u8();
            case UINT16 -> (long) (in.u16() & 0xFFFF);
            case INT16 -> (long) in.u16();
            case UINT32 -> in.u32();
            case INT32 -> (long) (int) in.u32();
            case UINT64, INT64 -> in.u64();
            case FLOAT32 -> (double) in.f32();
            case FLOAT64 -> in.f64();
            case BOOL -> {
                int b = in.u8();
                if (b > 1) {
                    throw in.fail("key '" + key + "' has the bool value " + b + "; a bool is 0 or 1");
                }
                yield b == 1;
            }
            case STRING -> in.string("a string of key '" + key + "'");
            case ARRAY -> throw new IllegalStateException("arrays are read by value()");
        };
    }

    private static GgufTensorInfo tensorInfo(GgufInput in, long index, long alignment) throws IOException {
        String name = in.string("the name of tensor " + index);
        long nDims = in.u32();
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw in.fail("tensor '" + name + "' has " + nDims + " dimensions; GGUF allows 1.." + MAX_DIMS);
        }
        long[] dims = new long[(int) nDims];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = in.u64();
            if (dims[d] < 1) {
                throw in.fail("tensor '" + name + "' has dimension " + d + " of " + Long.toUnsignedString(dims[d]));
            }
        }
        long typeId = in.u32();
        GgufType type = GgufType.ofId(typeId).orElseThrow(() -> in.fail("tensor '" + name + "' has ggml type " + typeId
                + ", not one this reader handles (" + Arrays.toString(GgufType.values()) + ")"));
        if (!type.fits(dims[0])) {
            throw in.fail("tensor '" + name + "' has rows of " + dims[0] + " values, not whole blocks of " + type.blockSize()
                    + " as " + type + " needs");
        }
        try {
            type.byteCount(TensorInfo.elementCount(dims));
        } catch (ArithmeticException e) {
            throw in.fail("tensor '" + name + "' of dimensions " + Arrays.toString(dims) + " is too large to address");
        }
        long offset = in.u64();
        if (offset < 0 || offset % alignment != 0) {
            throw in.fail("tensor '" + name + "' starts at offset " + Long.toUnsignedString(offset) + ", not a multiple of the alignment "
                    + alignment);
        }
        return new GgufTensorInfo(name, dims, type, offset);
    }

    /** Every tensor's bytes inside the file, and no two sharing a byte. */
    private static void checkData(GgufInput in, List<GgufTensorInfo> tensors, long dataStart) {
        long dataBytes = in.size() - dataStart;
        List<GgufTensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        long end = 0;
        String previous = null;
        for (GgufTensorInfo t : byOffset) {
            if (t.offset() > dataBytes || t.byteCount() > dataBytes - t.offset()) {
                throw in.fail("tensor '" + t.name() + "' needs bytes " + t.offset() + ".." + (t.offset() + t.byteCount())
                        + " of the data section, which has " + Math.max(0, dataBytes) + " bytes; the file is truncated or corrupt");
            }
            if (t.offset() < end) {
                throw in.fail("tensors '" + previous + "' and '" + t.name() + "' overlap in the data section");
            }
            end = t.offset() + t.byteCount();
            previous = t.name();
        }
    }
}
