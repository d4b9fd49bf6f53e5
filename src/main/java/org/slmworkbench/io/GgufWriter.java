package org.slmworkbench.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a GGUF version 3 file (ggml's {@code docs/gguf.md}): magic, version, tensor and key/value
 * counts, the key/values, the tensor infos, then each tensor's data at an offset aligned to
 * {@code general.alignment} (written as {@value #ALIGNMENT} unless the metadata sets it). Only the
 * header is built in memory; tensors are encoded and written one at a time, into a temporary file
 * that replaces the target atomically.
 */
public final class GgufWriter {
    public static final int VERSION = 3;
    public static final int ALIGNMENT = 32;
    public static final String ALIGNMENT_KEY = "general.alignment";

    private GgufWriter() {}

    /** Writes {@code tensors} with {@code metadata}, in the given orders. */
    public static void write(Path file, Map<String, GgufValue> metadata, List<GgufTensor> tensors) throws IOException {
        Map<String, GgufValue> kv = new LinkedHashMap<>(metadata);
        kv.putIfAbsent(ALIGNMENT_KEY, GgufValue.u32(ALIGNMENT));
        long alignment = GgufHeader.alignmentOf(kv.get(ALIGNMENT_KEY)).orElseThrow(() ->
                new IllegalArgumentException(ALIGNMENT_KEY + " must be a UINT32 power of two"));
        byte[] header = header(kv, tensors, alignment);
        AtomicFiles.write(file, channel -> {
            long written = header.length;
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(header));
            for (GgufTensor t : tensors) {
                ByteBuffer data = t.data().get();
                if (data.remaining() != t.byteCount()) {
                    throw new IllegalStateException("tensor '" + t.name() + "' supplied " + data.remaining() + " bytes, not "
                            + t.byteCount());
                }
                AtomicFiles.writeFully(channel, data);
                written += t.byteCount();
                long padding = pad(written, alignment) - written;
                AtomicFiles.writeFully(channel, ByteBuffer.allocate((int) padding));
                written += padding;
            }
        });
    }

    private static byte[] header(Map<String, GgufValue> kv, List<GgufTensor> tensors, long alignment) {
        Out out = new Out();
        out.bytes(GgufHeader.MAGIC);
        out.u32(VERSION);
        out.u64(tensors.size());
        out.u64(kv.size());
        kv.forEach((key, value) -> {
            out.string(key);
            out.u32(value.type().id());
            if (value.type() == GgufValueType.ARRAY) {
                out.u32(value.elementType().id());
                out.u64(value.asList().size());
                value.asList().forEach(e -> out.scalar(value.elementType(), e));
            } else {
                out.scalar(value.type(), value.value());
            }
        });
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (GgufTensor t : tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two tensors are named '" + t.name() + "'");
            }
            out.string(t.name());
            long[] dims = t.dims();
            out.u32(dims.length);
            for (long d : dims) {
                out.u64(d);
            }
            out.u32(t.type().id());
            out.u64(offset);
            offset = pad(offset + t.byteCount(), alignment);
        }
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private static long pad(long at, long alignment) {
        return (at + alignment - 1) / alignment * alignment;
    }

    /** Little-endian primitives into a growing byte array. */
    private static final class Out extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void u32(long v) {
            write(scratch.clear().putInt((int) v).array(), 0, 4);
        }

        void u64(long v) {
            write(scratch.clear().putLong(v).array(), 0, 8);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void scalar(GgufValueType type, Object v) {
            switch (type) {
                case UINT8, INT8 -> write((int) (long) (Long) v);
                case UINT16, INT16 -> write(scratch.clear().putShort((short) (long) (Long) v).array(), 0, 2);
                case UINT32, INT32 -> u32((Long) v);
                case UINT64, INT64 -> u64((Long) v);
                case FLOAT32 -> write(scratch.clear().putFloat((float) (double) (Double) v).array(), 0, 4);
                case FLOAT64 -> write(scratch.clear().putDouble((Double) v).array(), 0, 8);
                case BOOL -> write((Boolean) v ? 1 : 0);
                case STRING -> string((String) v);
                case ARRAY -> throw new IllegalArgumentException("arrays of arrays are not supported");
            }
        }
    }
}
