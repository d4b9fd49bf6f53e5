package org.slmworkbench.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor as a safetensors header describes it. {@code begin} and {@code end} are byte offsets
 * relative to the start of the data area, as in the file. The shape array is copied in and out so
 * the record stays immutable.
 */
public record TensorInfo(String name, TensorDType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Product of the dimensions (1 for a scalar); throws ArithmeticException if it overflows a long. */
    public long elementCount() {
        return elementCount(shape);
    }

    /** Bytes the data occupies in the file. */
    public long byteCount() {
        return end - begin;
    }

    static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
