package org.slmworkbench.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One tensor to write to a GGUF file: name, dimensions innermost first (see {@link GgufTensorInfo}),
 * type, and its encoded little-endian bytes, asked for only when the writer reaches it, so a model
 * is written one tensor at a time.
 */
public record GgufTensor(String name, long[] dims, GgufType type, Supplier<ByteBuffer> data) {

    public GgufTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        dims = dims.clone();
        if (dims.length < 1 || dims.length > GgufHeader.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + dims.length + " dimensions; GGUF allows 1.." + GgufHeader.MAX_DIMS);
        }
        if (Arrays.stream(dims).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("tensor '" + name + "' has a dimension below 1: " + Arrays.toString(dims));
        }
        if (!type.fits(dims[0])) {
            throw new IllegalArgumentException("tensor '" + name + "' has rows of " + dims[0] + " values, not whole blocks of "
                    + type.blockSize() + " as " + type + " needs");
        }
    }

    /** A tensor of floats encoded as {@code type} when the writer asks for it. */
    public static GgufTensor floats(String name, long[] dims, GgufType type, Supplier<float[]> values) {
        return new GgufTensor(name, dims, type, () -> GgufCodec.encode(type, values.get()));
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public long byteCount() {
        return type.byteCount(TensorInfo.elementCount(dims));
    }
}
