package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reused f32 memory that 16-bit and quantized matrices are widened into for products that autograd
 * keeps until backward. While one is open on a thread, {@link Ops#linear} takes its widened rows
 * from it; {@link RecomputedBackward} empties it after each block's backward, when nothing refers
 * to those rows any more, so the next block's weights land in the same memory.
 *
 * <p>Why: a fresh block per widened chunk, freed after every block's backward, left the C
 * allocator holding gigabytes of freed, fragmented blocks (LoRA on a 1.1B bf16 base grew to 11 GB
 * resident for 2.2 GB of weights). Segments are larger than glibc's largest mmap threshold, so
 * closing the arena hands them back to the system.
 */
final class WidenArena implements AutoCloseable {
    /** 16M values (64 MB) per segment, or one request if larger. */
    private static final long SEGMENT = 1L << 24;
    /** Offsets kept to 64 bytes, the alignment PyTorch's kernels expect of fresh arrays. */
    private static final long ALIGN = 16;
    private static final ThreadLocal<WidenArena> OPEN = new ThreadLocal<>();

    private final NDManager memory = NDManager.newBaseManager();
    private final List<NDArray> segments = new ArrayList<>();
    private final List<FloatBuffer> views = new ArrayList<>();
    private int segment;
    private long used;

    private WidenArena() {}

    /** Opens an arena for this thread's products until {@link #close}; one at a time per thread. */
    static WidenArena open() {
        if (OPEN.get() != null) {
            throw new IllegalStateException("a widening arena is already open on this thread");
        }
        WidenArena arena = new WidenArena();
        OPEN.set(arena);
        return arena;
    }

    /** This thread's open arena, or null. */
    static WidenArena current() {
        return OPEN.get();
    }

    /** Forgets every region handed out: call only once autograd no longer holds them (after backward). */
    void clear() {
        segment = 0;
        used = 0;
    }

    /** Values the arena holds, in all its segments. */
    long capacity() {
        return segments.stream().mapToLong(NDArray::size).sum();
    }

    /** Rows {@code from..to-1} of {@code w} widened into the arena, as a (rows, columns) array in {@code into}. */
    NDArray rows(Weight w, long from, long to, NDManager into) {
        long cols = w.shape().get(1);
        long n = (to - from) * cols;
        while (segment < segments.size() && segments.get(segment).size() - used < n) {
            segment++;
            used = 0;
        }
        if (segment == segments.size()) {
            NDArray fresh = memory.create(new Shape(Math.max(SEGMENT, n)), DataType.FLOAT32);
            segments.add(fresh);
            views.add(fresh.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer());
        }
        int start = Math.toIntExact(used);
        w.widenRowsInto(from, to, views.get(segment).duplicate().position(start).limit(start + (int) n).slice());
        NDArray region = segments.get(segment).get(new NDIndex("{}:{}", used, used + n)).reshape(to - from, cols);
        region.attach(into);
        used += (n + ALIGN - 1) / ALIGN * ALIGN;
        return region;
    }

    @Override
    public void close() {
        OPEN.remove();
        memory.close();
    }
}
