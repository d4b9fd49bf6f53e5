package org.slmworkbench.train;

import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.slmworkbench.model.ModelConfig;

/**
 * About how much memory a fine-tuning run will take, from the model's shapes, before it starts:
 * what the window shows beside the LoRA switch. The terms follow what the runs hold; the constant
 * is the runtime (JVM, PyTorch, tokens, merge buffers), measured at TinyLlama's shape (a bf16 base
 * with r=16 peaked at 3.9 GB, of which these terms are 3.1).
 */
public final class TrainingMemory {
    static final long RUNTIME = 800L << 20;
    /** Every trainable value has its gradient and AdamW's two moments beside it, all f32. */
    private static final long BYTES_PER_TRAINED = 16;

    private TrainingMemory() {}

    /**
     * LoRA of rank {@code rank} on every block matrix of a base held in {@code baseBytes}: the base,
     * the adapters with their optimizer state, each block's input, one block's recomputed
     * activations and, on a base below f32, the arena its widened matrices (or the head) go into.
     */
    public static long lora(ModelConfig c, long baseBytes, boolean widens, int rank, int batch, int context) {
        Map<String, Shape> shapes = c.tensorShapes();
        long hidden = c.residualWidth();
        long largestBlock = 0;
        for (int layer = 0; layer < c.layers(); layer++) {
            long sum = c.slices(layer).stream().map(s -> s.tensor()).distinct().map(shapes::get)
                    .filter(s -> s.dimension() == 2).mapToLong(Shape::size).sum();
            largestBlock = Math.max(largestBlock, sum);
        }
        long arena = widens ? 4 * Math.max(largestBlock, (long) c.vocabSize() * hidden) : 0;
        long tokens = (long) batch * context;
        long inputs = 4 * tokens * hidden * (c.layers() + 1);
        return baseBytes + BYTES_PER_TRAINED * adapterParameters(c, rank) + arena + inputs + blockActivations(c, hidden, batch, context) + RUNTIME;
    }

    /** Values of rank-{@code rank} adapters on every block matrix: A (r × in) and B (out × r). */
    static long adapterParameters(ModelConfig c, int rank) {
        Map<String, Shape> shapes = c.tensorShapes();
        return c.projections().stream().mapToLong(n -> rank * (shapes.get(n).get(0) + shapes.get(n).get(1))).sum();
    }

    /** Training every weight: f32 weights with their state, and every block's activations kept for backward. */
    public static long full(ModelConfig c, int batch, int context) {
        return BYTES_PER_TRAINED * c.parameterCount() + c.layers() * blockActivations(c, c.residualWidth(), batch, context) + RUNTIME;
    }

    /** One block's activations under autograd: the projections' outputs and the attention scores, softmax and mask. */
    private static long blockActivations(ModelConfig c, long hidden, int batch, int context) {
        long tokens = (long) batch * context;
        long widths = 6 * hidden + 4L * c.mlpWidth();
        return 4 * (tokens * widths + 3L * batch * c.heads() * context * context);
    }
}
