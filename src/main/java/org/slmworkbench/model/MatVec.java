package org.slmworkbench.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One activation row times a large weight (f32, or bf16 / f16 widened in registers), the product that decoding repeats for every matrix
 * of the model. It is memory-bound: each weight is read once per token. PyTorch's CPU kernel for it,
 * called through DJL, streams weights at under half of the memory bandwidth on the development
 * machine; this loop over the tensor's own memory (shared, not copied) with the JDK's vector API
 * reads bf16 weights at 35-45 GB/s on two threads where sysbench reads 40-54 GB/s.
 * It needs java started with {@code --add-modules jdk.incubator.vector}; without it every product
 * stays with PyTorch.
 */
public final class MatVec {
    /** Below 1 MB a weight sits in cache and the call overhead matters more than bandwidth: PyTorch keeps those. */
    static final long MIN_WEIGHTS = 1 << 18;
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final SpinningHelpers HELPERS = new SpinningHelpers();
    /** Calls of a tiny product that take the kernel past the JIT's thresholds for its optimizing compiler. */
    private static final int WARM_UP_CALLS = 20_000;
    private static final AtomicBoolean WARMING = new AtomicBoolean();
    /** Per thread, x reordered for 16-bit weights (see {@link MatVecKernel#blockInput}); grown as needed. */
    private static final ThreadLocal<ByteBuffer> BLOCK_SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));
    /** Chunks of rows per thread: enough to even out threads that run at different speeds. */
    private static final int CHUNKS_PER_THREAD = 8;

    private MatVec() {}

    /** Whether this JVM has the vector API, i.e. whether large single-row products take this path. */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * Starts compiling the kernel in the background, once per process, so that the first decoded
     * token does not run it uncompiled: slowly, and allocating at every vector operation, which
     * leaves a couple of hundred MB of touched heap behind. The smallest products that run every
     * path of the kernel reach the compiler's thresholds with little garbage, while a model loads.
     */
    public static void warmUp() {
        if (!AVAILABLE || !WARMING.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                MatVecKernel.smallestProduct();
            }
        }, "matvec-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * {@code x · wᵀ} when x holds a single row and w is a large matrix (f32, bf16 or f16) outside
     * autograd, else null and the caller uses PyTorch. Weights are contiguous by construction
     * (allocated whole, edited in place), so their memory is read directly.
     */
    static NDArray linearOrNull(NDArray x, Weight w) {
        Shape xs = x.getShape();
        Shape ws = w.shape();
        if (!AVAILABLE || !reads(w) || ws.size() < MIN_WEIGHTS || xs.size() != ws.get(1) || !takes(x)) {
            return null;
        }
        long[] shape = xs.getShape().clone(); // Shape hands out its own array
        shape[shape.length - 1] = ws.get(0);
        // the product is written straight into a new tensor's memory, so nothing waits for the GC
        NDArray y = x.getManager().create(new Shape(shape));
        multiply(w.memory(), MatVecKernel.encoding(w.precision()), (int) ws.get(0), (int) ws.get(1), x.toByteBuffer(true),
                y.toByteBuffer(true), Engines.threads());
        return y;
    }

    /** Whether the kernel can read w: a matrix of at most 2 GB outside autograd. */
    static boolean reads(Weight w) {
        return w.shape().dimension() == 2 && w.bytes() <= Integer.MAX_VALUE && !w.storage().hasGradient();
    }

    /** Whether the kernel can take x as its input: f32 on the CPU outside autograd. */
    static boolean takes(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 && Device.cpu().equals(x.getDevice()) && !x.hasGradient();
    }

    private static ByteBuffer blockInput(int encoding, ByteBuffer input, int cols) {
        ByteBuffer b = BLOCK_SCRATCH.get();
        if (b.capacity() < cols * Float.BYTES) {
            b = ByteBuffer.allocateDirect(cols * Float.BYTES).order(ByteOrder.nativeOrder());
            BLOCK_SCRATCH.set(b);
        }
        MatVecKernel.blockInput(encoding, input.duplicate().order(ByteOrder.nativeOrder()), cols, b);
        return b;
    }

    /**
     * {@code y = W · x} for a row-major matrix in {@code encoding} ({@link MatVecKernel#F32},
     * {@code BF16} or {@code F16}); x and y hold f32; all buffers in native byte order. The rows are
     * split between {@code threads} threads: the caller and {@link SpinningHelpers}.
     */
    static void multiply(ByteBuffer weights, int encoding, int rows, int cols, ByteBuffer input, ByteBuffer output, int threads) {
        long weightBytes = (long) rows * cols * (encoding == MatVecKernel.F32 ? Float.BYTES : Short.BYTES);
        if (weightBytes > weights.capacity() || (long) cols * Float.BYTES > input.capacity()
                || (long) rows * Float.BYTES > output.capacity()) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " product needs " + weightBytes
                    + " bytes of weights, " + (long) cols * Float.BYTES + " of input and " + (long) rows * Float.BYTES
                    + " of output; got " + weights.capacity() + ", " + input.capacity() + " and " + output.capacity());
        }
        ByteBuffer w = weights.duplicate().order(ByteOrder.nativeOrder());
        ByteBuffer x = encoding == MatVecKernel.F32 ? input.duplicate().order(ByteOrder.nativeOrder()) : blockInput(encoding, input, cols);
        ByteBuffer y = output.duplicate().order(ByteOrder.nativeOrder());
        // threads take chunks of rows in turn, so one that is slowed down does not hold the others up
        int parts = Math.max(1, Math.min(threads, rows));
        int chunks = Math.min(rows, parts * CHUNKS_PER_THREAD);
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                int from = (int) ((long) rows * c / chunks);
                int to = (int) ((long) rows * (c + 1) / chunks);
                MatVecKernel.rows(w, encoding, cols, x, y, from, to);
            }
        };
        Runnable[] tasks = new Runnable[parts];
        Arrays.fill(tasks, work);
        HELPERS.runAll(tasks);
    }
}
