package org.slmworkbench.compress;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slmworkbench.io.AtomicFiles;
import org.slmworkbench.io.QuantBlocks;
import org.slmworkbench.model.Precision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slmworkbench.BadInputException;
import org.slmworkbench.compress.codec.BitPacking;
import org.slmworkbench.compress.codec.DistinctFloats;
import org.slmworkbench.compress.codec.FloatPlanes;
import org.slmworkbench.compress.codec.SparseBitmap;
import org.slmworkbench.io.SafetensorsReader;
import org.slmworkbench.io.SafetensorsWriter;
import org.slmworkbench.io.TensorDType;
import org.slmworkbench.io.TensorEntry;

/**
 * The compact weights file: a safetensors file in which each tensor is stored in whichever exact
 * form is smallest, so pruning and weight sharing save bytes on disk.
 *
 * <ul>
 *   <li>{@code dense}: the tensor itself, F32.
 *   <li>{@code sparse}: {@code NAME.bitmap} (U8, one bit per element, least significant bit first)
 *       and {@code NAME.values} (F32, the non-zeros in order).
 *   <li>{@code palette}: {@code NAME.codebook} (F32, at most 256 values) and {@code NAME.indices}
 *       (U8, ceil(log2 k)-bit indices packed least significant bit first).
 *   <li>{@code sparse-palette}: bitmap, codebook, and indices of the non-zeros only.
 *   <li>{@code blocks}: {@code NAME.blocks} (U8), a quantized tensor's ggml blocks as the model
 *       holds them (its {@code precision}, {@code q8_0} or {@code q4_0}, says which layout).
 * </ul>
 *
 * The float values of {@code dense} and {@code sparse} (the tensor itself, {@code NAME.values}) are
 * stored as byte planes when that is smaller ({@link FloatPlanes}): a U8 tensor
 * {@code NAME.planes} or {@code NAME.values.planes} instead of the F32 one, with the planes'
 * lengths as {@code planes} in the tensor's index entry.
 *
 * <p>The header metadata holds {@code format = slm-workbench-compact}, {@code version = 1} and
 * {@code tensors}: a JSON object giving each tensor's encoding and shape. Every encoding is
 * lossless: a model read back computes exactly the logits of the model written.
 */
public final class CompactWeights {
    /** The most values a palette holds: its indices are at most 8 bits. */
    private static final int MAX_CODEBOOK = 1 << BitPacking.MAX_BITS;
    public static final String FILE = "model.compact.safetensors";
    static final String FORMAT = "slm-workbench-compact";
    private static final String PLANES = "planes";
    private static final String PRECISION = "precision";

    private CompactWeights() {}

    /**
     * A tensor to store: its shape, the precision the model holds it at (kept on reading back), its
     * values, asked for once, and the object they come from (a model's weight; may be null), by which
     * a {@link SizeCache} knows a tensor it counted before.
     */
    public record Tensor(long[] shape, Precision precision, Supplier<float[]> values, Object source) {}

    /**
     * Tensors already counted, by the object their values came from: a compressed copy's untouched
     * tensors are its base's own weights, so sizing every slider setting counts them once. Entries
     * go when their weight does (weak keys); safe to share between threads.
     */
    public static final class SizeCache {
        private final Map<Object, Counted> counted = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    }

    /** One tensor's index entry and parts as a size-only encoding left them (the parts hold no bytes). */
    private record Counted(String name, JsonObject desc, List<TensorEntry> parts) {}

    /**
     * A tensor read back: its values or, quantized, its blocks in ggml's layout (valid while the
     * sink runs), and the precision the model that wrote it held it at.
     */
    public record Read(float[] values, ByteBuffer blocks, Precision precision) {
        /** The values, widened from the blocks for a quantized tensor. */
        public float[] floats() {
            if (values != null) {
                return values;
            }
            float[] out = new float[Math.toIntExact(blocks.remaining() / precision.bytes(QuantBlocks.BLOCK) * QuantBlocks.BLOCK)];
            precision.dequantize(blocks.duplicate(), out.length, FloatBuffer.wrap(out));
            return out;
        }
    }

    /** Where encoded parts go: a part's name, type, shape and bytes in, the file's entry for it out. */
    @FunctionalInterface
    private interface PartSink {
        TensorEntry add(String name, TensorDType dtype, long[] shape, ByteBuffer bytes) throws IOException;
    }

    /** The file's tensors (with their sources in the sink) and its metadata. */
    private record Layout(List<TensorEntry> entries, Map<String, String> metadata) {}

    enum Encoding {
        DENSE("dense"), SPARSE("sparse"), PALETTE("palette"), SPARSE_PALETTE("sparse-palette"), BLOCKS("blocks");

        final String id;

        Encoding(String id) {
            this.id = id;
        }

        static Encoding of(String id) {
            for (Encoding e : values()) {
                if (e.id.equals(id)) {
                    return e;
                }
            }
            return null;
        }
    }

    /**
     * Writes the tensors one at a time: each is encoded once into a scratch file beside {@code file}
     * (so the header, which comes first, knows every size), then the file is written atomically from
     * it. The heap holds one tensor's values and encodings at a time.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path scratch = Files.createTempFile(file.toAbsolutePath().getParent(), ".compact-", ".parts");
        try (FileChannel channel = FileChannel.open(scratch, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Layout layout = encode(tensors, metadata, (name, dtype, shape, bytes) -> {
                long at = channel.size();
                channel.position(at);
                AtomicFiles.writeFully(channel, bytes);
                return TensorEntry.fileRegion(name, dtype, shape, channel, at);
            }, null);
            SafetensorsWriter.write(file, layout.entries(), layout.metadata());
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    /** The exact size of the file {@link #write} would produce, encoding into a counting sink: nothing is written. */
    public static long fileSize(Map<String, Tensor> tensors) {
        return fileSize(tensors, new SizeCache());
    }

    /** The same, taking the parts of tensors counted before from {@code cache} and leaving the new ones in it. */
    public static long fileSize(Map<String, Tensor> tensors, SizeCache cache) {
        try {
            Layout layout = encode(tensors, Map.of(), (name, dtype, shape, bytes) -> TensorEntry.bytes(name, dtype, shape, () -> {
                throw new IllegalStateException("a size-only encoding keeps no bytes");
            }), cache);
            return SafetensorsWriter.fileSize(layout.entries(), layout.metadata());
        } catch (IOException e) {
            throw new UncheckedIOException("counting writes nothing, so it cannot fail to write", e);
        }
    }

    /** @param cache sizes of tensors counted before (size-only encodings), or null when writing */
    private static Layout encode(Map<String, Tensor> tensors, Map<String, String> metadata, PartSink sink, SizeCache cache)
            throws IOException {
        List<TensorEntry> entries = new ArrayList<>();
        JsonObject index = new JsonObject();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            Counted before = cache == null || t.source() == null ? null : cache.counted.get(t.source());
            if (before == null || !before.name().equals(name)) {
                int first = entries.size();
                JsonObject desc = encodeOne(name, t, new Parts(entries, sink, cache != null));
                before = new Counted(name, desc, List.copyOf(entries.subList(first, entries.size())));
                if (cache != null && t.source() != null) {
                    cache.counted.put(t.source(), before);
                }
                HeapBudget.collectAfter(Arrays.stream(t.shape()).reduce(1, Math::multiplyExact));
            } else {
                entries.addAll(before.parts());
            }
            index.add(name, before.desc());
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", FORMAT);
        meta.put("version", "1");
        meta.put("tensors", index.toString());
        return new Layout(entries, meta);
    }

    /** One tensor's parts into {@code parts}, in its smallest exact encoding; its index entry back. */
    private static JsonObject encodeOne(String name, Tensor t, Parts parts) throws IOException {
        float[] w = t.values().get();
        Encoding enc = t.precision().isBlocks() ? Encoding.BLOCKS : smallest(w);
        JsonObject desc = new JsonObject();
        desc.addProperty("encoding", enc.id);
        JsonArray shape = new JsonArray();
        Arrays.stream(t.shape()).forEach(shape::add);
        desc.add("shape", shape);
        if (t.precision().needsWidening()) {
            desc.addProperty(PRECISION, t.precision().label());
        }
        switch (enc) {
            case DENSE -> parts.values(desc, name, w, t.shape());
            case SPARSE -> {
                SparseBitmap.Encoded s = SparseBitmap.encode(w);
                parts.bytes(name + ".bitmap", s.bitmap());
                parts.values(desc, name + ".values", s.values(), new long[] {s.values().length});
            }
            case PALETTE -> parts.palette(name, w);
            case SPARSE_PALETTE -> {
                SparseBitmap.Encoded s = SparseBitmap.encode(w);
                parts.bytes(name + ".bitmap", s.bitmap());
                parts.palette(name, s.values());
            }
            case BLOCKS -> parts.blocks(name, t.precision(), w);
        }
        return desc;
    }

    /**
     * Reads the tensors one at a time into {@code sink}, in the order of {@code expectedShapes},
     * checking each against the shape the model's config implies.
     */
    public static void read(Path file, Map<String, long[]> expectedShapes, BiConsumer<String, Read> sink) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            if (!FORMAT.equals(r.metadata().get("format")) || !"1".equals(r.metadata().get("version"))) {
                throw new BadInputException(file, "is not a " + FORMAT + " version 1 file");
            }
            JsonObject index;
            try {
                index = JsonParser.parseString(r.metadata().getOrDefault("tensors", "")).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new BadInputException(file, "has no readable tensor index in its metadata");
            }
            // quantized blocks pass through one buffer, reused: reading a model leaves no garbage per tensor
            ByteBuffer[] blocks = {null};
            for (Map.Entry<String, long[]> e : expectedShapes.entrySet()) {
                Read read = readTensor(r, file, index, e.getKey(), e.getValue(), blocks);
                sink.accept(e.getKey(), read);
                // a dense tensor decoded from planes or a bitmap leaves its arrays behind
                HeapBudget.collectAfter(Arrays.stream(e.getValue()).reduce(1, Math::multiplyExact));
            }
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read: " + e.getMessage());
        }
    }

    /** @param blocks a buffer for quantized blocks, reused from one tensor to the next (its one element) */
    private static Read readTensor(SafetensorsReader r, Path file, JsonObject index, String name, long[] shape, ByteBuffer[] blocks)
            throws IOException {
        JsonElement d = index.get(name);
        if (d == null || !d.isJsonObject()) {
            throw new BadInputException(file, "has no tensor '" + name + "' that config.json implies");
        }
        JsonObject desc = d.getAsJsonObject();
        JsonElement encoding = desc.get("encoding");
        Encoding enc = encoding != null && encoding.isJsonPrimitive() ? Encoding.of(encoding.getAsString()) : null;
        if (enc == null) {
            throw new BadInputException(file, "tensor '" + name + "' has an unknown encoding " + desc.get("encoding"));
        }
        long[] stored = parseShape(file, name, desc);
        if (!Arrays.equals(stored, shape)) {
            throw new BadInputException(file, "tensor '" + name + "' has shape " + Arrays.toString(stored)
                    + " but config.json implies " + Arrays.toString(shape));
        }
        int n = elementCount(file, name, shape);
        Precision precision = precision(file, name, desc);
        try {
            if (enc == Encoding.BLOCKS) {
                blocks[0] = blocks(r, name, precision, shape, n, blocks[0]);
                return new Read(null, blocks[0], precision);
            }
            return new Read(switch (enc) {
                case DENSE -> {
                    float[] v = values(r, desc, name, n);
                    if (v.length != n) {
                        throw new IllegalArgumentException("holds " + v.length + " values, expected " + n);
                    }
                    yield v;
                }
                case SPARSE -> {
                    byte[] bitmap = bytes(r, name + ".bitmap");
                    yield SparseBitmap.decode(bitmap, values(r, desc, name + ".values", popCount(bitmap)), n);
                }
                case PALETTE -> palette(r, name, n);
                case SPARSE_PALETTE -> {
                    byte[] bitmap = bytes(r, name + ".bitmap");
                    int nonZero = popCount(bitmap);
                    yield SparseBitmap.decode(bitmap, palette(r, name, nonZero), n);
                }
                case BLOCKS -> throw new IllegalStateException("blocks are read above");
            }, null, precision);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file, "tensor '" + name + "' is corrupt: " + e.getMessage());
        }
    }

    /** The precision an index entry records (f32 when it names none). */
    private static Precision precision(Path file, String name, JsonObject desc) {
        JsonElement p = desc.get(PRECISION);
        if (p == null) {
            return Precision.F32;
        }
        for (Precision candidate : Precision.values()) {
            if (p.isJsonPrimitive() && candidate.label().equals(p.getAsString())) {
                return candidate;
            }
        }
        throw new BadInputException(file, "tensor '" + name + "' has an unknown precision " + p);
    }

    /**
     * One tensor's parts, added to the file's entries with their bytes in the sink; when only
     * {@code counting}, parts are sized without building their bytes (the sink gets null).
     */
    private record Parts(List<TensorEntry> entries, PartSink sink, boolean counting) {
        /** Float values as F32, or as byte planes when those are smaller (their lengths go into {@code desc}). */
        void values(JsonObject desc, String name, float[] values, long[] shape) throws IOException {
            FloatPlanes.Encoded planes = counting ? new FloatPlanes.Encoded(null, FloatPlanes.lengths(values)) : FloatPlanes.encode(values);
            long stored = FloatPlanes.storedBytes(planes.lengths(), values.length);
            if (stored < 4L * values.length) {
                JsonArray lengths = new JsonArray();
                Arrays.stream(planes.lengths()).forEach(lengths::add);
                desc.add(PLANES, lengths);
                part(name + ".planes", TensorDType.U8, new long[] {stored}, planes::payload);
            } else {
                floats(name, values, shape);
            }
        }

        void palette(String name, float[] values) throws IOException {
            DistinctFloats seen = new DistinctFloats(MAX_CODEBOOK);
            for (float v : values) {
                seen.add(v);
            }
            float[] codebook = seen.sorted();
            floats(name + ".codebook", codebook, new long[] {codebook.length});
            int bits = BitPacking.bitsFor(codebook.length);
            part(name + ".indices", TensorDType.U8, new long[] {BitPacking.packedLength(values.length, bits)},
                    () -> ByteBuffer.wrap(BitPacking.pack(i -> seen.rankOf(values[i]), values.length, bits)));
        }

        void floats(String name, float[] v, long[] shape) throws IOException {
            part(name, TensorDType.F32, shape, () -> {
                ByteBuffer le = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                le.asFloatBuffer().put(v);
                return le;
            });
        }

        /**
         * A quantized tensor's blocks. The values are the weight's own widened, and quantizing
         * quantized values gives back the same bytes, so these are the blocks the model holds.
         */
        void blocks(String name, Precision precision, float[] values) throws IOException {
            int length = Math.toIntExact(precision.bytes(values.length));
            part(name + ".blocks", TensorDType.U8, new long[] {length}, () -> {
                ByteBuffer b = ByteBuffer.allocate(length);
                precision.quantize(values, 0, values.length, b);
                return b.flip();
            });
        }

        void bytes(String name, byte[] b) throws IOException {
            part(name, TensorDType.U8, new long[] {b.length}, () -> ByteBuffer.wrap(b));
        }

        /** A part of this shape; its bytes are made only when the file is written. */
        private void part(String name, TensorDType dtype, long[] shape, Supplier<ByteBuffer> bytes) throws IOException {
            entries.add(sink.add(name, dtype, shape, counting ? null : bytes.get()));
        }
    }

    /** Float values stored by {@link #addValues}; {@code count} is how many the tensor's shape or bitmap implies. */
    private static float[] values(SafetensorsReader r, JsonObject desc, String name, int count) throws IOException {
        JsonElement planes = desc.get(PLANES);
        if (planes == null) {
            return r.readFloats(name);
        }
        int[] lengths;
        try {
            JsonArray a = planes.getAsJsonArray();
            lengths = new int[a.size()];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = a.get(i).getAsInt();
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("has unreadable byte-plane lengths " + planes);
        }
        return FloatPlanes.decode(bytes(r, name + ".planes"), lengths, count);
    }

    /** A quantized tensor's blocks, refusing a layout that does not fit its shape. */
    private static ByteBuffer blocks(SafetensorsReader r, String name, Precision precision, long[] shape, int count, ByteBuffer reuse)
            throws IOException {
        if (!precision.isBlocks() || !precision.fits(new Shape(shape))) {
            throw new IllegalArgumentException("blocks need a q8_0 or q4_0 matrix whose rows are whole blocks of "
                    + QuantBlocks.BLOCK + "; got " + precision.label() + " " + Arrays.toString(shape));
        }
        ByteBuffer b = r.readBytes(name + ".blocks", reuse);
        if (b.remaining() != precision.bytes(count)) {
            throw new IllegalArgumentException("blocks take " + b.remaining() + " bytes, expected " + precision.bytes(count));
        }
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Values from a codebook and packed indices, refusing an index past the codebook's end. */
    private static float[] palette(SafetensorsReader r, String name, int count) throws IOException {
        float[] codebook = r.readFloats(name + ".codebook");
        if (codebook.length == 0 || codebook.length > 256) {
            throw new IllegalArgumentException("codebook has " + codebook.length + " entries; expected 1..256");
        }
        int bits = BitPacking.bitsFor(codebook.length);
        byte[] packed = bytes(r, name + ".indices");
        if (packed.length != BitPacking.packedLength(count, bits)) {
            throw new IllegalArgumentException("indices take " + packed.length + " bytes, expected "
                    + BitPacking.packedLength(count, bits) + " for " + count + " " + bits + "-bit indices");
        }
        int[] indices = BitPacking.unpack(packed, count, bits);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            if (indices[i] >= codebook.length) {
                throw new IllegalArgumentException("index " + indices[i] + " at element " + i + " is past the codebook's "
                        + codebook.length + " entries");
            }
            out[i] = codebook[indices[i]];
        }
        return out;
    }

    /** The exact encoding with the fewest bytes. */
    static Encoding smallest(float[] w) {
        long n = w.length;
        DistinctFloats all = new DistinctFloats(MAX_CODEBOOK);
        DistinctFloats nonZero = new DistinctFloats(MAX_CODEBOOK);
        int zeros = 0;
        int i = 0;
        for (; i < w.length && !(all.overflowed() && nonZero.overflowed()); i++) {
            float x = w[i];
            if (x == 0f) {
                zeros++;
                all.add(0f);
            } else {
                nonZero.add(x);
                all.add(x);
            }
        }
        // past both palettes' limits only the zeros still matter
        for (; i < w.length; i++) {
            zeros += w[i] == 0f ? 1 : 0;
        }
        long nnz = n - zeros;
        long bitmap = (n + 7) / 8;
        Encoding best = Encoding.DENSE;
        long bestBytes = 4 * n;
        long sparse = bitmap + 4 * nnz;
        if (sparse < bestBytes) {
            best = Encoding.SPARSE;
            bestBytes = sparse;
        }
        if (!all.overflowed()) {
            long palette = 4L * all.size() + BitPacking.packedLength(w.length, BitPacking.bitsFor(all.size()));
            if (palette < bestBytes) {
                best = Encoding.PALETTE;
                bestBytes = palette;
            }
        }
        if (nonZero.size() >= 1 && !nonZero.overflowed()) {
            long sp = bitmap + 4L * nonZero.size() + BitPacking.packedLength((int) nnz, BitPacking.bitsFor(nonZero.size()));
            if (sp < bestBytes) {
                best = Encoding.SPARSE_PALETTE;
            }
        }
        return best;
    }

    private static byte[] bytes(SafetensorsReader r, String name) throws IOException {
        ByteBuffer b = r.readBytes(name);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static int popCount(byte[] bitmap) {
        int c = 0;
        for (byte b : bitmap) {
            c += Integer.bitCount(b & 0xFF);
        }
        return c;
    }

    /** Elements of a shape, refused when one Java array cannot hold them. */
    private static int elementCount(Path file, String name, long[] shape) {
        long n;
        try {
            n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        } catch (ArithmeticException e) {
            n = -1; // beyond 64 bits
        }
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw new BadInputException(file, "tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + ", more elements than one Java array can hold");
        }
        return (int) n;
    }

    private static long[] parseShape(Path file, String name, JsonObject desc) {
        try {
            JsonArray a = desc.getAsJsonArray("shape");
            long[] s = new long[a.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = a.get(i).getAsLong();
            }
            return s;
        } catch (RuntimeException e) {
            throw new BadInputException(file, "tensor '" + name + "' has no readable shape in the index");
        }
    }
}
