package org.slmworkbench.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise and attention loops of {@link LlamaTokenStep}, on f32 vectors in native memory
 * (offsets and lengths in floats). Like {@link MatVecKernel} it touches {@code jdk.incubator.vector},
 * so it is loaded only when that module is present.
 */
final class TokenKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private TokenKernels() {}

    private static FloatVector load(ByteBuffer b, int at) {
        return FloatVector.fromByteBuffer(SPECIES, b, at * Float.BYTES, ORDER);
    }

    /** {@code out = x / sqrt(mean(x²) + eps) · weight} over n values, as the multi-token pass computes it. */
    static void rmsNorm(ByteBuffer x, ByteBuffer weight, float eps, int n, ByteBuffer out) {
        float meanSquare = dot(x, 0, x, 0, n) / n;
        float denominator = (float) Math.sqrt(meanSquare + eps);
        int i = 0;
        for (int end = SPECIES.loopBound(n); i < end; i += SPECIES.length()) {
            load(x, i).div(denominator).mul(load(weight, i)).intoByteBuffer(out, i * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            out.putFloat(i * Float.BYTES, x.getFloat(i * Float.BYTES) / denominator * weight.getFloat(i * Float.BYTES));
        }
    }

    /** {@code Σ a[aAt + i] · b[bAt + i]} over n values. */
    static float dot(ByteBuffer a, int aAt, ByteBuffer b, int bAt, int n) {
        FloatVector sum = FloatVector.zero(SPECIES);
        int i = 0;
        for (int end = SPECIES.loopBound(n); i < end; i += SPECIES.length()) {
            sum = load(a, aAt + i).fma(load(b, bAt + i), sum);
        }
        float s = sum.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a.getFloat((aAt + i) * Float.BYTES) * b.getFloat((bAt + i) * Float.BYTES);
        }
        return s;
    }

    /** {@code y[yAt + i] += alpha · x[xAt + i]} over n values. */
    static void addScaled(float alpha, ByteBuffer x, int xAt, ByteBuffer y, int yAt, int n) {
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        int i = 0;
        for (int end = SPECIES.loopBound(n); i < end; i += SPECIES.length()) {
            load(x, xAt + i).fma(a, load(y, yAt + i)).intoByteBuffer(y, (yAt + i) * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            int yi = (yAt + i) * Float.BYTES;
            y.putFloat(yi, y.getFloat(yi) + alpha * x.getFloat((xAt + i) * Float.BYTES));
        }
    }

    /** {@code out = a + b} over n values. */
    static void add(ByteBuffer a, ByteBuffer b, int n, ByteBuffer out) {
        int i = 0;
        for (int end = SPECIES.loopBound(n); i < end; i += SPECIES.length()) {
            load(a, i).add(load(b, i)).intoByteBuffer(out, i * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            out.putFloat(i * Float.BYTES, a.getFloat(i * Float.BYTES) + b.getFloat(i * Float.BYTES));
        }
    }

    /** {@code gate = gate · sigmoid(gate) · up} over n values: SwiGLU, in place. */
    static void swiGlu(ByteBuffer gate, ByteBuffer up, int n) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int i = 0;
        for (int end = SPECIES.loopBound(n); i < end; i += SPECIES.length()) {
            FloatVector g = load(gate, i);
            FloatVector sigmoid = one.div(g.neg().lanewise(VectorOperators.EXP).add(one));
            g.mul(sigmoid).mul(load(up, i)).intoByteBuffer(gate, i * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            float g = gate.getFloat(i * Float.BYTES);
            gate.putFloat(i * Float.BYTES, g * (float) (1 / (1 + Math.exp(-g))) * up.getFloat(i * Float.BYTES));
        }
    }
}
