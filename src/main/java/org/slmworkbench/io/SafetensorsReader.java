package org.slmworkbench.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slmworkbench.BadInputException;

/**
 * Reads tensors from a safetensors file without loading the file into memory: the header is read
 * and validated on {@link #open}, and each read maps just the tensor's bytes (in windows of at most
 * 1 GiB, so files and tensors beyond 2 GiB work), converts them into the caller's destination and
 * unmaps them again. Nothing is cached, so reading a whole model one tensor at a time holds only
 * what the caller keeps.
 *
 * <p>Reads may run from several threads at once. Problems with the file are {@link BadInputException}s
 * naming it; I/O failures are IOExceptions. A file that shrank since {@code open} is caught before
 * each read; one truncated by another process during a read makes the JVM throw an InternalError,
 * as any memory-mapped access does.
 */
public final class SafetensorsReader implements AutoCloseable {
    /** The largest array length every JVM accepts. */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final Map<String, TensorInfo> byName = new HashMap<>();
    private final int windowBytes;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header, int windowBytes) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.windowBytes = windowBytes;
        header.tensors().forEach(t -> byName.put(t.name(), t));
    }

    /** Opens and validates {@code file}; throws BadInputException if it is not a sound safetensors file. */
    public static SafetensorsReader open(Path file) throws IOException {
        return open(file, MappedWindows.DEFAULT_WINDOW_BYTES);
    }

    /** As {@link #open(Path)} with a smaller mapping window, so tests can cross window boundaries cheaply. */
    static SafetensorsReader open(Path file, int windowBytes) throws IOException {
        FileChannel channel = InputFiles.open(file, "safetensors");
        try {
            return new SafetensorsReader(file, channel, SafetensorsHeader.read(file, channel), windowBytes);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** The {@code __metadata__} entries in file order (empty if there are none). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** All tensors in the order the header lists them. */
    public List<TensorInfo> tensors() {
        return header.tensors();
    }

    public Optional<TensorInfo> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The tensor called {@code name}; BadInputException if the file has none. */
    public TensorInfo get(String name) {
        return find(name).orElseThrow(() -> new BadInputException(file, "no tensor named '" + name + "'"));
    }

    /** The values of a floating-point tensor (F64, F32, F16 or BF16) as a new float array, row-major. */
    public float[] readFloats(String name) throws IOException {
        TensorInfo tensor = floatTensor(name);
        long count = tensor.elementCount();
        if (count > MAX_ARRAY_LENGTH) {
            throw new BadInputException(file, "tensor '" + name + "' has " + count
                    + " elements, more than one Java array or buffer can hold (" + MAX_ARRAY_LENGTH + ")");
        }
        float[] values = new float[(int) count];
        decode(tensor, FloatBuffer.wrap(values));
        return values;
    }

    /**
     * Converts a floating-point tensor into {@code dst} from its position on, advancing the position
     * by the element count. {@code dst} may be direct, so the values need not pass through the heap.
     *
     * @throws IllegalArgumentException if {@code dst} has too little room left
     */
    public void readFloats(String name, FloatBuffer dst) throws IOException {
        TensorInfo tensor = floatTensor(name);
        if (dst.remaining() < tensor.elementCount()) {
            throw new IllegalArgumentException("buffer has room for " + dst.remaining() + " floats but tensor '" + name
                    + "' has " + tensor.elementCount());
        }
        decode(tensor, dst);
    }

    /**
     * Copies an F16 or BF16 tensor's bit patterns, unconverted, into {@code dst} from its position on
     * (in {@code dst}'s byte order, which may be native), advancing it by the element count.
     *
     * @throws IllegalArgumentException if {@code dst} has too little room left
     */
    public void readHalves(String name, ShortBuffer dst) throws IOException {
        TensorInfo tensor = get(name);
        if (tensor.dtype() != TensorDType.F16 && tensor.dtype() != TensorDType.BF16) {
            throw new BadInputException(file, "tensor '" + name + "' is " + tensor.dtype() + "; expected F16 or BF16");
        }
        if (dst.remaining() < tensor.elementCount()) {
            throw new IllegalArgumentException("buffer has room for " + dst.remaining() + " values but tensor '" + name
                    + "' has " + tensor.elementCount());
        }
        forEachWindow(tensor, window -> dst.put(window.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer()));
    }

    /**
     * A copy of a tensor's raw little-endian bytes, any dtype, in a new heap buffer (position 0,
     * little-endian order) that the caller owns.
     */
    public ByteBuffer readBytes(String name) throws IOException {
        return readBytes(name, null);
    }

    /**
     * The same into {@code reuse} when it is large enough (else into a new buffer): a reader of
     * many large tensors, each used at once, then leaves no garbage per tensor.
     */
    public ByteBuffer readBytes(String name, ByteBuffer reuse) throws IOException {
        TensorInfo tensor = get(name);
        if (tensor.byteCount() > MAX_ARRAY_LENGTH) {
            throw new BadInputException(file, "tensor '" + name + "' is " + tensor.byteCount()
                    + " bytes, more than one Java buffer can hold (" + MAX_ARRAY_LENGTH + ")");
        }
        ByteBuffer copy = reuse != null && reuse.capacity() >= tensor.byteCount() ? reuse.clear() : ByteBuffer.allocate((int) tensor.byteCount());
        copy.order(ByteOrder.LITTLE_ENDIAN).limit((int) tensor.byteCount());
        forEachWindow(tensor, copy::put);
        return copy.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private TensorInfo floatTensor(String name) {
        TensorInfo tensor = get(name);
        if (!tensor.dtype().isFloatingPoint()) {
            throw new BadInputException(file, "tensor '" + name + "' is " + tensor.dtype()
                    + "; only F64, F32, F16 and BF16 tensors can be read as floats");
        }
        return tensor;
    }

    private void decode(TensorInfo tensor, FloatBuffer dst) throws IOException {
        forEachWindow(tensor, window -> FloatCodec.decode(tensor.dtype(), window, dst));
    }

    private void forEachWindow(TensorInfo tensor, IoAction<ByteBuffer> action) throws IOException {
        long position = header.dataStart() + tensor.begin();
        // Mapping beyond the end and touching it would kill the JVM (SIGBUS), so catch a file that shrank since open.
        long size = channel.size();
        if (position + tensor.byteCount() > size) {
            throw new BadInputException(file, "file shrank to " + size + " bytes while open; tensor '" + tensor.name()
                    + "' is no longer all there");
        }
        MappedWindows.forEach(channel, position, tensor.byteCount(), tensor.dtype().byteSize(), windowBytes,
                action);
    }
}
