package org.slmworkbench.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slmworkbench.BadInputException;

/**
 * Reads a GGUF file: the header is read and checked in full on {@link #open} (see
 * {@link GgufHeader}), and each tensor is read on request, as raw bytes or widened to floats. Problems
 * with the file are {@link BadInputException}s naming it; I/O failures are IOExceptions.
 */
public final class GgufReader implements AutoCloseable {
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private final Path file;
    private final FileChannel channel;
    private final GgufHeader header;

    private GgufReader(Path file, FileChannel channel, GgufHeader header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
    }

    public static GgufReader open(Path file) throws IOException {
        FileChannel channel = InputFiles.open(file, "GGUF");
        try {
            return new GgufReader(file, channel, GgufHeader.read(file, channel));
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    public int version() {
        return header.version();
    }

    /** Every key/value in file order. */
    public Map<String, GgufValue> metadata() {
        return header.metadata();
    }

    /** Every tensor in the order the file lists them. */
    public List<GgufTensorInfo> tensors() {
        return header.tensors();
    }

    public long alignment() {
        return header.alignment();
    }

    /** Where the data section starts in the file. */
    public long dataStart() {
        return header.dataStart();
    }

    public Optional<GgufTensorInfo> find(String name) {
        return header.tensors().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public GgufTensorInfo get(String name) {
        return find(name).orElseThrow(() -> new BadInputException(file, "no tensor named '" + name + "'"));
    }

    /** A copy of the tensor's bytes as stored, in a new little-endian heap buffer at position 0. */
    public ByteBuffer readBytes(String name) throws IOException {
        GgufTensorInfo t = get(name);
        if (t.byteCount() > MAX_ARRAY_LENGTH) {
            throw new BadInputException(file, "tensor '" + name + "' is " + t.byteCount() + " bytes, more than one buffer holds");
        }
        ByteBuffer out = ByteBuffer.allocate((int) t.byteCount()).order(ByteOrder.LITTLE_ENDIAN);
        long at = header.dataStart() + t.offset();
        if (at + t.byteCount() > channel.size()) {
            throw new BadInputException(file, "file shrank while open; tensor '" + name + "' is no longer all there");
        }
        while (out.hasRemaining()) {
            if (channel.read(out, at + out.position()) < 0) {
                throw new BadInputException(file, "file shrank while open; tensor '" + name + "' is no longer all there");
            }
        }
        return out.flip();
    }

    /** The tensor's values widened to floats (quantized blocks dequantized), innermost dimension fastest. */
    public float[] readFloats(String name) throws IOException {
        GgufTensorInfo t = get(name);
        if (t.elementCount() > MAX_ARRAY_LENGTH) {
            throw new BadInputException(file, "tensor '" + name + "' has " + t.elementCount() + " values, more than one array holds");
        }
        return GgufCodec.decode(t.type(), readBytes(name), (int) t.elementCount());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
