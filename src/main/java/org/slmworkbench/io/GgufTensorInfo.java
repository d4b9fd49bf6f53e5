package org.slmworkbench.io;

import java.util.Arrays;

/**
 * A tensor as a GGUF file lists it: name, dimensions innermost first (ggml's ne: dims[0] is the row
 * length, so a PyTorch (out, in) matrix has dims [in, out]), type, and the offset of its data from
 * the start of the data section.
 */
public record GgufTensorInfo(String name, long[] dims, GgufType type, long offset) {

    public GgufTensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public long elementCount() {
        return TensorInfo.elementCount(dims);
    }

    public long byteCount() {
        return type.byteCount(elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && Arrays.equals(dims, t.dims) && type == t.type && offset == t.offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims);
    }
}
