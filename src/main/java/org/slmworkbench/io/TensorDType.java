package org.slmworkbench.io;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The safetensors element types this project reads and writes, named as in the file header. */
public enum TensorDType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int byteSize;

    TensorDType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the types {@code readFloats} converts and float payloads may be stored as. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /**
     * The type a header spells as {@code name} (exact, upper case as the format writes it).
     *
     * @throws IllegalArgumentException for any other name, listing the supported ones
     */
    public static TensorDType parse(String name) {
        for (TensorDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "' (supported: " + supportedNames() + ")");
    }

    private static String supportedNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
