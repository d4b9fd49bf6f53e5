package org.slmworkbench.io;

import java.util.Arrays;
import java.util.Optional;

/**
 * The ggml tensor types this project writes and reads in GGUF files, with ggml's type ids. A
 * quantized type stores rows in blocks of 32 values, so its rows (ggml's ne[0]) must be whole blocks.
 */
public enum GgufType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, QuantBlocks.BLOCK, QuantBlocks.Q4_0_BYTES),
    Q8_0(8, QuantBlocks.BLOCK, QuantBlocks.Q8_0_BYTES),
    BF16(30, 1, 2);

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgufType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** ggml's {@code ggml_type} value. */
    public int id() {
        return id;
    }

    /** Values per block: 1 for the float types. */
    public int blockSize() {
        return blockSize;
    }

    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** Whether a row of {@code rowLength} values can be stored in this type. */
    public boolean fits(long rowLength) {
        return rowLength % blockSize == 0;
    }

    /** Bytes of {@code values} values (whole blocks); ArithmeticException past a long. */
    public long byteCount(long values) {
        return Math.multiplyExact(values / blockSize, (long) blockBytes);
    }

    /** The type with ggml id {@code id}, if it is one of these. */
    public static Optional<GgufType> ofId(long id) {
        return Arrays.stream(values()).filter(t -> t.id == id).findFirst();
    }
}
