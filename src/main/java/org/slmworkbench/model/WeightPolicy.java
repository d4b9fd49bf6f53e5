package org.slmworkbench.model;

/**
 * What precision a loaded model's matrices are held in: as stored in the file (a bf16 or f16
 * checkpoint stays 16-bit; f32 stays f32) or widened to f32, which training needs. Vectors (norms,
 * biases) are always f32: they are small and every op reads them.
 */
public enum WeightPolicy {
    STORED, F32;

    /** The precision of a tensor of {@code dimensions} axes that a file stores at {@code stored}. */
    public Precision inMemory(Precision stored, int dimensions) {
        return this == F32 || dimensions < 2 ? Precision.F32 : stored;
    }
}
