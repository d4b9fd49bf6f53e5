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
import org.slmworkbench.io.QuantBlocks;

/**
 * One activation row times a large weight (f32, or 16-bit or quantized widened in registers), the product that decoding repeats for every matrix
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
    /** Per thread, x as a float array for block types; grown as needed. */
    private static final ThreadLocal<float[]> FLOAT_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
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
     * {@code x · wᵀ} when x holds a single row and w is a large matrix (of any precision) outside
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
        multiply(w, x.toByteBuffer(true), y.toByteBuffer(true), Engines.threads());
        return y;
    }

    /** Whether the kernel can read w: a matrix of at most 2 GB outside autograd, with no adapter to add. */
    static boolean reads(Weight w) {
        return w.shape().dimension() == 2 && w.bytes() <= Integer.MAX_VALUE && (!w.hasStorage() || !w.storage().hasGradient())
                && w.adapter() == null;
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

    /** {@code y = W · x} for a matrix weight of any precision; x and y hold f32 in native byte order. */
    static void multiply(Weight w, ByteBuffer input, ByteBuffer output, int threads) {
        int rows = (int) w.shape().get(0);
        int cols = (int) w.shape().get(1);
        int encoding = MatVecKernel.encoding(w.precision());
        if (w.precision().isBlocks()) {
            multiplyBlocks(w.quants(), w.scales(), encoding, rows, cols, input, output, threads);
        } else {
            multiply(w.memory(), encoding, rows, cols, input, output, threads);
        }
    }

    /**
     * {@code y = W · x} for a row-major matrix in {@code encoding} ({@link MatVecKernel#F32},
     * {@code BF16} or {@code F16}); x and y hold f32; all buffers in native byte order. The rows are
     * split between {@code threads} threads: the caller and {@link SpinningHelpers}.
     */
    static void multiply(ByteBuffer weights, int encoding, int rows, int cols, ByteBuffer input, ByteBuffer output, int threads) {
        if (encoding == MatVecKernel.Q8_0 || encoding == MatVecKernel.Q4_0) {
            throw new IllegalArgumentException("block types are read from their arrays: use multiplyBlocks");
        }
        check(weights.capacity(), encoding, rows, cols, input, output);
        ByteBuffer w = weights.duplicate().order(ByteOrder.nativeOrder());
        ByteBuffer x = MatVecKernel.reordersInput(encoding) ? blockInput(encoding, input, cols) : input.duplicate().order(ByteOrder.nativeOrder());
        ByteBuffer y = output.duplicate().order(ByteOrder.nativeOrder());
        split(rows, threads, (from, to) -> MatVecKernel.rows(w, encoding, cols, x, y, from, to));
    }

    /**
     * The same for a block type ({@code Q8_0} or {@code Q4_0}), its values in {@code quants} and
     * scales in {@code scales} (as {@link Weight} holds them); x is copied into a float array first.
     */
    static void multiplyBlocks(byte[] quants, float[] scales, int encoding, int rows, int cols, ByteBuffer input, ByteBuffer output,
            int threads) {
        if (cols % QuantBlocks.BLOCK != 0 || scales.length < (long) rows * cols / QuantBlocks.BLOCK) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " product needs rows of whole blocks and "
                    + (long) rows * cols / QuantBlocks.BLOCK + " scales; got " + scales.length);
        }
        check(quants.length + 2L * scales.length, encoding, rows, cols, input, output);
        float[] x = floatInput(input, cols);
        ByteBuffer y = output.duplicate().order(ByteOrder.nativeOrder());
        split(rows, threads, (from, to) -> MatVecKernel.blockRows(quants, scales, encoding, cols, x, y, from, to));
    }

    /** Refuses buffers too short for the product; {@code weightCapacity} is in the bytes of the encoding's layout. */
    private static void check(long weightCapacity, int encoding, int rows, int cols, ByteBuffer input, ByteBuffer output) {
        long weightBytes = rows * MatVecKernel.rowBytes(encoding, cols);
        if (weightBytes > weightCapacity || (long) cols * Float.BYTES > input.capacity() || (long) rows * Float.BYTES > output.capacity()) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " product needs " + weightBytes
                    + " bytes of weights, " + (long) cols * Float.BYTES + " of input and " + (long) rows * Float.BYTES
                    + " of output; got " + weightCapacity + ", " + input.capacity() + " and " + output.capacity());
        }
    }

    private static float[] floatInput(ByteBuffer input, int cols) {
        float[] x = FLOAT_SCRATCH.get();
        if (x.length < cols) {
            x = new float[cols];
            FLOAT_SCRATCH.set(x);
        }
        input.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().get(x, 0, cols);
        return x;
    }

    /** Rows {@code from..to-1} of a product. */
    @FunctionalInterface
    private interface RowRange {
        void run(int from, int to);
    }

    /**
     * Runs {@code rows} rows on {@code threads} threads, the caller and {@link SpinningHelpers}: they
     * take chunks of rows in turn, so one that is slowed down does not hold the others up.
     */
    private static void split(int rows, int threads, RowRange kernel) {
        int parts = Math.max(1, Math.min(threads, rows));
        int chunks = Math.min(rows, parts * CHUNKS_PER_THREAD);
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                kernel.run((int) ((long) rows * c / chunks), (int) ((long) rows * (c + 1) / chunks));
            }
        };
        Runnable[] tasks = new Runnable[parts];
        Arrays.fill(tasks, work);
        HELPERS.runAll(tasks);
    }
}
