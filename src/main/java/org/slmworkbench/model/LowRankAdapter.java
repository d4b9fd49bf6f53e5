package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * A LoRA update of one frozen matrix W (out × in): a product x·Wᵀ becomes x·Wᵀ + s·(x·Aᵀ)·Bᵀ with
 * s = alpha / r, A (r × in) and B (out × r) trainable f32 arrays. B starts at zero, so training
 * starts from the base model exactly (Hu et al., 2021). While training, the adapter's input may be
 * dropped out ({@link AdapterDropout}); the frozen product always sees all of x.
 */
public final class LowRankAdapter {
    private final NDArray a;
    private final NDArray b;
    private final double alpha;
    private final double dropout;
    /** The adapted weight's name, which picks its dropout masks. */
    private final String matrix;
    /** s as a 0-d array held here: a plain Number in a product under autograd may be freed before backward reads it. */
    private final NDArray scale;

    /**
     * An adapter of the given factors; they must live as long as the adapter (their manager owns them).
     *
     * @param dropout the probability an input is dropped while training, in [0, 1)
     * @param matrix the name of the weight adapted, distinct among a model's adapters
     */
    public LowRankAdapter(NDArray a, NDArray b, double alpha, double dropout, String matrix) {
        Shape as = a.getShape();
        Shape bs = b.getShape();
        if (as.dimension() != 2 || bs.dimension() != 2 || bs.get(1) != as.get(0)) {
            throw new IllegalArgumentException("LoRA factors A " + as + " and B " + bs + " do not make a low-rank product B·A");
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("LoRA alpha must be positive, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        this.a = a;
        this.b = b;
        this.alpha = alpha;
        this.dropout = dropout;
        this.matrix = matrix;
        this.scale = a.getManager().create((float) (alpha / as.get(0)));
    }

    /** A fresh adapter in {@code manager}: A uniform in ±1/√in (PEFT's Kaiming-uniform bound), B zero. */
    public static LowRankAdapter initial(NDManager manager, int rank, long in, long out, double alpha, double dropout, String matrix,
            Random random) {
        float bound = (float) (1 / Math.sqrt(in));
        float[] values = new float[Math.toIntExact(rank * in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * bound;
        }
        return new LowRankAdapter(manager.create(values, new Shape(rank, in)), manager.zeros(new Shape(out, rank)), alpha, dropout, matrix);
    }

    /** s·(dropout(x)·Aᵀ)·Bᵀ for activations x (…, in): what the adapter adds to the frozen product. */
    NDArray delta(NDArray x) {
        NDArray in = AdapterDropout.apply(x, dropout, matrix);
        NDArray down = in.getNDArrayInternal().linear(in, a, null).singletonOrThrow();
        NDArray up = down.getNDArrayInternal().linear(down, b, null).singletonOrThrow();
        return up.mul(scale);
    }

    /** s·B·A (out × in) as f32 values in row-major order, the update a merge adds to W, written into {@code into}. */
    public void updateInto(float[] into) {
        try (NDManager m = a.getManager().newSubManager()) {
            NDArray product = b.matMul(a);
            product.attach(m);
            NDArray scaled = product.mul(scale);
            scaled.attach(m);
            scaled.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().get(into);
        }
    }

    public NDArray a() {
        return a;
    }

    public NDArray b() {
        return b;
    }

    public int rank() {
        return (int) a.getShape().get(0);
    }

    public double alpha() {
        return alpha;
    }

    public double dropout() {
        return dropout;
    }

    public long inFeatures() {
        return a.getShape().get(1);
    }

    public long outFeatures() {
        return b.getShape().get(0);
    }

    /** For messages: "rank-16 (2048 × 5632)". */
    public String describe() {
        return "rank-" + rank() + " (" + outFeatures() + " × " + inFeatures() + ")";
    }
}
