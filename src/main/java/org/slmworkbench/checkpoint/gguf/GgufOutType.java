package org.slmworkbench.checkpoint.gguf;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slmworkbench.io.GgufType;
import org.slmworkbench.model.Precision;

/**
 * The type a GGUF export stores the model's matrices in, as llama.cpp's converter names them
 * ({@code --outtype}). Vectors (norms and biases) always go out as F32, as llama.cpp's converter
 * writes them, and so does a matrix whose rows are not whole blocks of a quantized type.
 */
public enum GgufOutType {
    F32(GgufType.F32, 0), F16(GgufType.F16, 1), BF16(GgufType.BF16, 32), Q8_0(GgufType.Q8_0, 7), Q4_0(GgufType.Q4_0, 2);

    private final GgufType matrixType;
    /** llama.cpp's {@code llama_ftype}, written as {@code general.file_type}. */
    private final int fileType;

    GgufOutType(GgufType matrixType, int fileType) {
        this.matrixType = matrixType;
        this.fileType = fileType;
    }

    public static GgufOutType parse(String s) {
        return Arrays.stream(values()).filter(t -> t.id().equals(s)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "the GGUF type must be one of " + Arrays.stream(values()).map(GgufOutType::id).collect(Collectors.joining(", "))
                        + ", got " + s));
    }

    /** The type that keeps weights held at {@code p} exactly. */
    public static GgufOutType of(Precision p) {
        return switch (p) {
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
        };
    }

    /** Lower case, as the option takes it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type of the matrices whose rows it can hold. */
    GgufType matrixType() {
        return matrixType;
    }

    int fileType() {
        return fileType;
    }

    /**
     * The GGUF type of a tensor of {@code modelShape} (the model's layout, rows last): this type for a
     * matrix whose rows it can hold, F32 for vectors and for rows that are not whole blocks.
     */
    public GgufType typeFor(long[] modelShape) {
        return modelShape.length >= 2 && matrixType.fits(modelShape[modelShape.length - 1]) ? matrixType : GgufType.F32;
    }
}
