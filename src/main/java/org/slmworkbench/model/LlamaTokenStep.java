package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A Llama block's pass for one token of one sequence with a KV cache, in Java over the weights'
 * and the cache's own memory: the step that decoding repeats. Through DJL the same step is about
 * forty PyTorch calls a block, whose dispatch alone cost about a third of a token's time at
 * TinyLlama's shape; here the products go to {@link MatVec}'s kernel and the rest to
 * {@link TokenKernels}, into buffers kept per thread. The arithmetic is the multi-token pass's
 * (the same order of operations, f32 throughout), so the two agree to rounding.
 */
final class LlamaTokenStep {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private final Rope rope;
    private final float eps;
    private final int headDim;
    private final LlamaBlockWeights w;
    /** w's seven products, listed once: {@link #applies} runs for every block of every token. */
    private final List<Weight> projections;

    LlamaTokenStep(Rope rope, float eps, int headDim, LlamaBlockWeights w) {
        this.rope = rope;
        this.eps = eps;
        this.headDim = headDim;
        this.w = w;
        this.projections = w.projections();
    }

    /**
     * Whether this step can take x: one token of one sequence, f32 on the CPU, with a cache, no
     * recorder and nothing that needs autograd, on a JVM with the vector API.
     */
    boolean applies(NDArray x, KvCache cache, InputRecorder recorder) {
        Shape s = x.getShape();
        return MatVec.available() && cache != null && recorder == null && s.dimension() == 3 && s.get(0) == 1 && s.get(1) == 1
                && MatVec.takes(x) && isPlainVector(w.inputNorm()) && isPlainVector(w.postNorm()) && readable(projections);
    }

    private static boolean readable(List<Weight> matrices) {
        for (Weight m : matrices) {
            if (!MatVec.reads(m)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainVector(Weight norm) {
        return norm.precision() == Precision.F32 && !norm.storage().hasGradient();
    }

    /** The block's output for x (1, 1, hidden) at position {@code start}; appends its key and value to the cache. */
    NDArray forward(NDArray x, int start, KvCache cache, int layer) {
        cache.checkRoom(1);
        int hidden = (int) x.getShape().get(2);
        int qOut = (int) w.q().shape().get(0);
        int kvOut = (int) w.k().shape().get(0);
        int inner = (int) w.gate().shape().get(0);
        int heads = qOut / headDim;
        int kvHeads = kvOut / headDim;
        Scratch m = SCRATCH.get();
        ByteBuffer in = native32(x);
        ByteBuffer normed = m.buffer(0, hidden);
        ByteBuffer qv = m.buffer(1, qOut);
        ByteBuffer kv = m.buffer(2, kvOut);
        ByteBuffer vv = m.buffer(3, kvOut);
        ByteBuffer context = m.buffer(4, qOut);
        ByteBuffer residual = m.buffer(5, hidden);
        ByteBuffer g = m.buffer(6, inner);
        ByteBuffer u = m.buffer(7, inner);
        ByteBuffer scores = m.buffer(8, cache.capacity());

        TokenKernels.rmsNorm(in, w.inputNorm().memory(), eps, hidden, normed);
        product(w.q(), normed, qv);
        product(w.k(), normed, kv);
        product(w.v(), normed, vv);
        rope.applyInPlace(qv.asFloatBuffer(), heads, start, true, m.cos(headDim), m.sin(headDim));
        rope.applyInPlace(kv.asFloatBuffer(), kvHeads, start, false, m.cos(headDim), m.sin(headDim));
        ByteBuffer keys = cache.memory(layer, true);
        ByteBuffer values = cache.memory(layer, false);
        int capacity = cache.capacity();
        for (int h = 0; h < kvHeads; h++) {
            int slot = ((h * capacity) + start) * headDim * Float.BYTES;
            keys.put(slot, kv, h * headDim * Float.BYTES, headDim * Float.BYTES);
            values.put(slot, vv, h * headDim * Float.BYTES, headDim * Float.BYTES);
        }
        attend(qv, keys, values, heads, kvHeads, capacity, start + 1, scores, context);
        product(w.o(), context, residual);
        TokenKernels.add(in, residual, hidden, residual);

        TokenKernels.rmsNorm(residual, w.postNorm().memory(), eps, hidden, normed);
        product(w.gate(), normed, g);
        product(w.up(), normed, u);
        TokenKernels.swiGlu(g, u, inner);
        NDArray out = x.getManager().create(x.getShape());
        ByteBuffer result = native32(out);
        product(w.down(), g, result);
        TokenKernels.add(residual, result, hidden, result);
        return out;
    }

    /**
     * Grouped-query attention of one token over the {@code length} cached positions: query head h
     * reads key/value head h / (heads / kvHeads); the query carries the 1/sqrt(head_dim) scale.
     */
    private void attend(ByteBuffer qv, ByteBuffer keys, ByteBuffer values, int heads, int kvHeads, int capacity, int length,
            ByteBuffer scores, ByteBuffer context) {
        int group = heads / kvHeads;
        for (int h = 0; h < heads; h++) {
            int kvBase = (h / group) * capacity * headDim;
            int qAt = h * headDim;
            float max = Float.NEGATIVE_INFINITY;
            for (int s = 0; s < length; s++) {
                float score = TokenKernels.dot(qv, qAt, keys, kvBase + s * headDim, headDim);
                scores.putFloat(s * Float.BYTES, score);
                max = Math.max(max, score);
            }
            float sum = 0;
            for (int s = 0; s < length; s++) {
                float e = (float) Math.exp(scores.getFloat(s * Float.BYTES) - max);
                scores.putFloat(s * Float.BYTES, e);
                sum += e;
            }
            for (int d = 0; d < headDim; d++) {
                context.putFloat((qAt + d) * Float.BYTES, 0f);
            }
            for (int s = 0; s < length; s++) {
                TokenKernels.addScaled(scores.getFloat(s * Float.BYTES) / sum, values, kvBase + s * headDim, context, qAt, headDim);
            }
        }
    }

    private static void product(Weight w, ByteBuffer x, ByteBuffer y) {
        MatVec.multiply(w, x, y, Engines.threads());
    }

    private static ByteBuffer native32(NDArray a) {
        return a.toByteBuffer(true).order(ByteOrder.nativeOrder());
    }

    /** Per thread, the step's intermediate vectors, grown as needed and kept for the next token. */
    private static final class Scratch {
        private final ByteBuffer[] buffers = new ByteBuffer[9];
        private float[] cos = new float[0];
        private float[] sin = new float[0];

        ByteBuffer buffer(int slot, int floats) {
            ByteBuffer b = buffers[slot];
            if (b == null || b.capacity() < floats * Float.BYTES) {
                b = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
                buffers[slot] = b;
            }
            return b;
        }

        float[] cos(int n) {
            if (cos.length < n) {
                cos = new float[n];
            }
            return cos;
        }

        float[] sin(int n) {
            if (sin.length < n) {
                sin = new float[n];
            }
            return sin;
        }
    }
}
