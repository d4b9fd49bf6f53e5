package org.slmworkbench.io;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a tensor's data comes from when {@link SafetensorsWriter} gets to it. The supplier runs once,
 * only when that tensor's bytes are written, so a model can be saved one tensor at a time.
 */
public sealed interface TensorPayload {

    /** Float values, row-major, stored as the entry's floating-point dtype (F32, F16, BF16 or F64). */
    static TensorPayload floats(Supplier<float[]> values) {
        return new Floats(values);
    }

    /** Raw little-endian bytes of any dtype (e.g. U8 or I32), from the buffer's position to its limit. */
    static TensorPayload bytes(Supplier<ByteBuffer> bytes) {
        return new Bytes(bytes);
    }

    /** Bytes already in a file (e.g. a scratch file of encoded parts), copied by the channel without passing through memory maps or the heap. */
    static TensorPayload fileRegion(FileChannel channel, long position, long length) {
        return new FileRegion(channel, position, length);
    }

    record FileRegion(FileChannel channel, long position, long length) implements TensorPayload {
        public FileRegion {
            Objects.requireNonNull(channel, "channel");
        }
    }

    record Floats(Supplier<float[]> values) implements TensorPayload {
        public Floats {
            Objects.requireNonNull(values, "values");
        }
    }

    record Bytes(Supplier<ByteBuffer> bytes) implements TensorPayload {
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }
    }
}
