package org.slmworkbench.io;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes safetensors files one tensor at a time: the header goes first (shapes and dtypes give every
 * offset in advance), then each entry's supplier is called and its data streamed out through a small
 * buffer, so saving a model never holds more than the one tensor the supplier returns. The file
 * appears atomically (see {@link AtomicFiles#write}).
 */
public final class SafetensorsWriter {
    /** Conversion buffer; a multiple of every element size. */
    private static final int BUFFER_BYTES = 1 << 20;

    private SafetensorsWriter() {
    }

    /**
     * Writes {@code tensors} in the given order with {@code metadata} (may be empty) to {@code file}.
     * On any failure, including an exception from a supplier, no partial file is left and an earlier
     * file at that path is untouched.
     *
     * @throws IllegalArgumentException for duplicate or reserved names, or a supplier returning data of
     *     the wrong size (named in the message)
     */
    public static void write(Path file, List<TensorEntry> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, channel -> {
            AtomicFiles.writeFully(channel, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(header));
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorEntry tensor : tensors) {
                writeData(channel, tensor, buffer);
            }
        });
    }

    /** The exact size of the file {@link #write} would produce, without calling any supplier. */
    public static long fileSize(List<TensorEntry> tensors, Map<String, String> metadata) {
        return 8L + header(tensors, metadata).length + tensors.stream().mapToLong(TensorEntry::byteCount).sum();
    }

    /** The JSON header in UTF-8, padded with spaces to a multiple of 8 bytes as the reference writer does. */
    private static byte[] header(List<TensorEntry> tensors, Map<String, String> metadata) {
        Set<String> names = new HashSet<>();
        StringWriter json = new StringWriter();
        try (JsonWriter out = new JsonWriter(json)) {
            out.beginObject();
            if (!metadata.isEmpty()) {
                out.name(SafetensorsHeader.METADATA_KEY).beginObject();
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    if (e.getKey() == null || e.getValue() == null) {
                        throw new IllegalArgumentException("metadata entry " + e + " has no key or no value");
                    }
                    out.name(e.getKey()).value(e.getValue());
                }
                out.endObject();
            }
            long offset = 0;
            for (TensorEntry tensor : tensors) {
                if (tensor.name().equals(SafetensorsHeader.METADATA_KEY) || !names.add(tensor.name())) {
                    throw new IllegalArgumentException("tensor name '" + tensor.name() + "' is "
                            + (names.contains(tensor.name()) ? "used twice" : "reserved"));
                }
                out.name(tensor.name()).beginObject();
                out.name("dtype").value(tensor.dtype().name());
                out.name("shape").beginArray();
                for (long dim : tensor.shape()) {
                    out.value(dim);
                }
                out.endArray();
                out.name("data_offsets").beginArray().value(offset).value(offset + tensor.byteCount()).endArray();
                out.endObject();
                offset += tensor.byteCount();
            }
            out.endObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory cannot fail", e);
        }
        byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
        if (utf8.length > SafetensorsHeader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header would be " + utf8.length + " bytes, over the 100 MiB readers accept");
        }
        byte[] padded = Arrays.copyOf(utf8, (utf8.length + 7) / 8 * 8);
        Arrays.fill(padded, utf8.length, padded.length, (byte) ' ');
        return padded;
    }

    private static void writeData(FileChannel channel, TensorEntry tensor, ByteBuffer buffer) throws IOException {
        long count = tensor.elementCount();
        if (tensor.payload() instanceof TensorPayload.Floats floats) {
            float[] values = floats.values().get();
            if (values == null || values.length != count) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' was supplied "
                        + (values == null ? "null" : values.length + " floats") + " but shape "
                        + Arrays.toString(tensor.shape()) + " needs " + count);
            }
            int perBatch = BUFFER_BYTES / tensor.dtype().byteSize();
            for (int offset = 0; offset < values.length; offset += perBatch) {
                buffer.clear();
                FloatCodec.encode(tensor.dtype(), values, offset, Math.min(perBatch, values.length - offset), buffer);
                AtomicFiles.writeFully(channel, buffer.flip());
            }
        } else if (tensor.payload() instanceof TensorPayload.FileRegion region) {
            for (long done = 0; done < region.length(); ) {
                long n = region.channel().transferTo(region.position() + done, region.length() - done, channel);
                if (n <= 0) {
                    throw new IOException("could not copy tensor '" + tensor.name() + "' from its scratch file");
                }
                done += n;
            }
        } else if (tensor.payload() instanceof TensorPayload.Bytes raw) {
            ByteBuffer bytes = raw.bytes().get();
            if (bytes == null || bytes.remaining() != tensor.byteCount()) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' was supplied "
                        + (bytes == null ? "null" : bytes.remaining() + " bytes") + " but " + tensor.dtype() + " shape "
                        + Arrays.toString(tensor.shape()) + " needs " + tensor.byteCount());
            }
            AtomicFiles.writeFully(channel, bytes.duplicate());
        }
    }
}
