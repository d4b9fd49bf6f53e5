package org.slmworkbench.io;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One tensor to write: its name, how it is stored, its shape, and where its data comes from. Shape
 * and dtype fix the byte size up front, so the header can be written before any data exists.
 */
public record TensorEntry(String name, TensorDType dtype, long[] shape, TensorPayload payload) {

    public TensorEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(payload, "payload");
        shape = shape.clone();
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in shape " + Arrays.toString(shape));
            }
        }
        try {
            Math.multiplyExact(TensorInfo.elementCount(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "' shape " + Arrays.toString(shape) + " is too large");
        }
        if (payload instanceof TensorPayload.Floats && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("tensor '" + name + "' has float data but dtype " + dtype
                    + "; store it as F32, F16, BF16 or F64, or supply raw bytes");
        }
    }

    /** A tensor whose float values, supplied on demand, are stored as {@code dtype}. */
    public static TensorEntry floats(String name, TensorDType dtype, long[] shape, Supplier<float[]> values) {
        return new TensorEntry(name, dtype, shape, TensorPayload.floats(values));
    }

    /** A tensor whose raw little-endian bytes sit in {@code channel} at {@code position}. */
    public static TensorEntry fileRegion(String name, TensorDType dtype, long[] shape, FileChannel channel, long position) {
        return new TensorEntry(name, dtype, shape, TensorPayload.fileRegion(channel, position, TensorInfo.elementCount(shape) * dtype.byteSize()));
    }

    /** A tensor stored as the raw little-endian bytes the supplier returns. */
    public static TensorEntry bytes(String name, TensorDType dtype, long[] shape, Supplier<ByteBuffer> bytes) {
        return new TensorEntry(name, dtype, shape, TensorPayload.bytes(bytes));
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return TensorInfo.elementCount(shape);
    }

    public long byteCount() {
        return elementCount() * dtype.byteSize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorEntry e && name.equals(e.name) && dtype == e.dtype
                && Arrays.equals(shape, e.shape) && payload.equals(e.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), payload);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
