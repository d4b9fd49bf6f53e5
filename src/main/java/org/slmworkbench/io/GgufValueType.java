package org.slmworkbench.io;

import java.util.Optional;

/** The value types of GGUF metadata, with the ids the format gives them (ggml's {@code gguf_type}). */
public enum GgufValueType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), BOOL(1), STRING(8), ARRAY(12), UINT64(8), INT64(8),
    FLOAT64(8);

    /** Bytes the smallest value of this type takes in a file (a string: its length; an array: element type and count). */
    private final int minBytes;

    GgufValueType(int minBytes) {
        this.minBytes = minBytes;
    }

    /** The id the file writes: the declaration order, as in the spec. */
    public int id() {
        return ordinal();
    }

    int minBytes() {
        return minBytes;
    }

    public boolean isInteger() {
        return this != FLOAT32 && this != FLOAT64 && this != BOOL && this != STRING && this != ARRAY;
    }

    static Optional<GgufValueType> ofId(long id) {
        return id >= 0 && id < values().length ? Optional.of(values()[(int) id]) : Optional.empty();
    }
}
