package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.function.Consumer;
import org.slmworkbench.io.HalfFloats;
import org.slmworkbench.io.QuantBlocks;

/**
 * One tensor of a model as it sits in memory, at its {@link Precision}. An f32 weight is an
 * ordinary PyTorch array; a 16-bit one keeps its bits in a 2-byte PyTorch array that only this
 * project's code reads (PyTorch through DJL cannot hold bf16), so nothing hands it to PyTorch as
 * numbers: the decode kernel reads it directly and multi-token products widen it a few rows at a
 * time ({@link #widenRows}).
 *
 * <p>That memory is allocated by PyTorch, not as Java direct buffers, so a model is not capped by
 * the JVM's direct-memory limit. A quantized weight is the exception: its blocks' values (a row's
 * blocks per row) are a Java byte array and their scales a float array, because the JDK 17 vector
 * API reads heap arrays about three times as fast as buffers (27-30 against 10 billion weights a
 * second on one core here), and at 4.5 or 8.5 bits a weight the decode kernel is bound by that,
 * not by memory; a scale read as f16 through a table cost a fifth of the speed again. They are
 * the smallest tensors there are: a quantized TinyLlama is 0.7-1.3 GB of heap.
 */
public final class Weight {
    /** The PyTorch array, or null for a block type. */
    private final NDArray storage;
    /** A block type's values, block after block, else null. */
    private final byte[] quants;
    /** A block type's scales, one per block, else null. */
    private final float[] scales;
    private final Precision precision;
    private final Shape shape;
    /** A trainable low-rank update added to every product with this frozen matrix, or null. */
    private final LowRankAdapter adapter;

    private Weight(NDArray storage, byte[] quants, float[] scales, Precision precision, Shape shape, LowRankAdapter adapter) {
        this.storage = storage;
        this.quants = quants;
        this.scales = scales;
        this.precision = precision;
        this.shape = shape;
        this.adapter = adapter;
    }

    private Weight(NDArray storage, byte[] quants, float[] scales, Precision precision, Shape shape) {
        this(storage, quants, scales, precision, shape, null);
    }

    /**
     * The same frozen matrix (its memory shared, not copied) with {@code adapter} added to every
     * product with it: what LoRA trains on a base of any precision.
     */
    public Weight withAdapter(LowRankAdapter adapter) {
        if (shape.dimension() != 2 || adapter.outFeatures() != shape.get(0) || adapter.inFeatures() != shape.get(1)) {
            throw new IllegalArgumentException("a " + adapter.describe() + " adapter does not fit a " + shape + " weight");
        }
        return new Weight(storage, quants, scales, precision, shape, adapter);
    }

    /** Whether both hold the same memory: one is the other, or the same matrix with an adapter added. */
    public boolean sharesMemoryWith(Weight other) {
        return storage != null ? storage == other.storage : quants == other.quants;
    }

    /**
     * Frees the native memory now rather than when its manager closes, for a tensor that nothing
     * reads any more; arrays viewing the same memory keep it alive (PyTorch counts them).
     */
    public void free() {
        if (storage != null && !storage.isReleased()) {
            storage.close();
        }
    }

    /** The low-rank adapter on this matrix, or null. */
    public LowRankAdapter adapter() {
        return adapter;
    }

    /** An f32 weight on an f32 array (read, random or trained); the weight reads the array's own memory. */
    public static Weight of(NDArray f32) {
        if (f32.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("an f32 weight needs a FLOAT32 array, got " + f32.getDataType());
        }
        return new Weight(f32, null, null, Precision.F32, f32.getShape());
    }

    /**
     * A new weight in {@code manager}, its memory filled by {@code fill} (native byte order, position
     * 0, capacity the tensor's bytes): values of the precision, bf16 and f16 as their bit patterns,
     * block types as their blocks in ggml's layout.
     */
    public static Weight allocate(NDManager manager, Shape shape, Precision precision, Consumer<ByteBuffer> fill) {
        if (!precision.fits(shape)) {
            throw new IllegalArgumentException("a " + shape + " tensor cannot be held as " + precision.label()
                    + ": it needs a matrix whose rows are whole blocks of " + QuantBlocks.BLOCK);
        }
        if (precision.isBlocks()) {
            ByteBuffer blocks = ByteBuffer.allocate(Math.toIntExact(precision.bytes(shape.size()))).order(ByteOrder.nativeOrder());
            fill.accept(blocks);
            return ofBlocks(shape, precision, blocks.rewind());
        }
        Weight w = new Weight(manager.create(shape, precision == Precision.F32 ? DataType.FLOAT32 : DataType.FLOAT16), null, null,
                precision, shape);
        fill.accept(w.memory());
        return w;
    }

    /** A quantized weight of {@code shape} from its blocks in ggml's layout, read from {@code blocks}' position on. */
    public static Weight ofBlocks(Shape shape, Precision precision, ByteBuffer blocks) {
        if (!precision.isBlocks() || !precision.fits(shape) || blocks.remaining() != precision.bytes(shape.size())) {
            throw new IllegalArgumentException(blocks.remaining() + " bytes are not " + precision.label() + " blocks of a " + shape + " matrix");
        }
        int count = Math.toIntExact(shape.size() / QuantBlocks.BLOCK);
        int blockBytes = (int) precision.bytes(QuantBlocks.BLOCK);
        byte[] quants = new byte[count * (blockBytes - 2)];
        float[] scales = new float[count];
        QuantBlocks.split(blocks.duplicate(), blockBytes, quants, scales);
        return new Weight(null, quants, scales, precision, shape);
    }

    /** A weight holding {@code values} at {@code precision}: exact for values that came from that precision, else rounded to nearest. */
    public static Weight fromFloats(NDManager manager, Shape shape, Precision precision, float[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(values.length + " values for a tensor of shape " + shape);
        }
        return allocate(manager, shape, precision, buffer -> {
            switch (precision) {
                case F32 -> buffer.asFloatBuffer().put(values);
                case BF16 -> HalfFloats.floatToBf16(values, buffer.asShortBuffer());
                case F16 -> HalfFloats.floatToF16(values, buffer.asShortBuffer());
                case Q8_0, Q4_0 -> precision.quantize(values, 0, values.length, buffer);
            }
        });
    }

    /** The array holding this weight's memory. For f32 it is the values; a 16-bit one is only bits; a block type has none. */
    public NDArray storage() {
        if (storage == null) {
            throw new IllegalStateException("a " + precision.label() + " weight is held in blocks, not in a PyTorch array");
        }
        return storage;
    }

    /** True when a PyTorch array holds this weight (every precision but the block types). */
    public boolean hasStorage() {
        return storage != null;
    }

    /** A block type's values, block after block, which the decode kernel reads; not to be written. */
    byte[] quants() {
        return quants;
    }

    /** A block type's scales, one per block; not to be written. */
    float[] scales() {
        return scales;
    }

    public Precision precision() {
        return precision;
    }

    public Shape shape() {
        return shape;
    }

    /** Bytes this weight takes in its precision's layout (a block type's scales as f16, as files hold them). */
    public long bytes() {
        return precision.bytes(shape.size());
    }

    /** Bytes this weight occupies in memory: {@link #bytes} but for a block type's scales, held as f32. */
    public long memoryBytes() {
        return quants != null ? quants.length + (long) scales.length * Float.BYTES : bytes();
    }

    /**
     * The weight's own memory in native byte order: a new view each call, asked of the array each
     * time, since an edit such as {@code NDArray.set} may give the array new memory. A block type's
     * is a new buffer of its blocks in ggml's layout, as files hold them.
     */
    public ByteBuffer memory() {
        if (quants != null) {
            ByteBuffer blocks = ByteBuffer.allocate(Math.toIntExact(bytes())).order(ByteOrder.nativeOrder());
            QuantBlocks.join(quants, scales, (int) precision.bytes(QuantBlocks.BLOCK), blocks);
            return blocks.rewind();
        }
        return storage.toByteBuffer(true).order(ByteOrder.nativeOrder());
    }

    /**
     * Replaces the values in this weight's own memory, rounded to its precision (a block type is
     * quantized again): how a LoRA merge writes W + s·B·A into a base that is not needed as it was.
     * Every weight sharing that memory sees the new values.
     */
    public void overwrite(float[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(values.length + " values for a tensor of shape " + shape);
        }
        if (quants != null) {
            ByteBuffer blocks = ByteBuffer.allocate(Math.toIntExact(bytes())).order(ByteOrder.nativeOrder());
            precision.quantize(values, 0, values.length, blocks);
            QuantBlocks.split(blocks.rewind(), (int) precision.bytes(QuantBlocks.BLOCK), quants, scales);
            return;
        }
        ByteBuffer m = memory();
        switch (precision) {
            case F32 -> m.asFloatBuffer().put(values);
            case BF16 -> HalfFloats.floatToBf16(values, m.asShortBuffer());
            case F16 -> HalfFloats.floatToF16(values, m.asShortBuffer());
            default -> throw new IllegalStateException("unreachable: " + precision);
        }
    }

    /** A new heap array of the values, widened to f32: one tensor's worth, for compression and saving. */
    public float[] floats() {
        float[] out = new float[Math.toIntExact(shape.size())];
        floatsInto(out);
        return out;
    }

    /** The values widened to f32 into the start of {@code into} (long enough for them); their count. */
    public int floatsInto(float[] into) {
        int n = Math.toIntExact(shape.size());
        widen(arrayMemory(), 0, n, FloatBuffer.wrap(into, 0, n));
        return n;
    }

    /**
     * Rows {@code from..to-1} (of the first axis) as an f32 array in {@code into}, the caller's to
     * close: for an f32 weight a PyTorch slice (so training's gradients flow through it), else a
     * widened copy.
     */
    public NDArray widenRows(NDManager into, long from, long to) {
        if (precision == Precision.F32) {
            NDArray view = storage.get(new NDIndex("{}:{}", from, to));
            view.attach(into);
            return view;
        }
        long[] dims = shape.getShape().clone(); // Shape hands out its own array
        dims[0] = to - from;
        NDArray out = into.create(new Shape(dims), DataType.FLOAT32);
        widenRowsInto(from, to, out);
        return out;
    }

    /** Widens rows {@code from..to-1} into the start of {@code dst}, an f32 array with room for them. */
    void widenRowsInto(long from, long to, NDArray dst) {
        widenRowsInto(from, to, dst.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer());
    }

    /** Widens rows {@code from..to-1} into {@code dst} from its position on. */
    void widenRowsInto(long from, long to, FloatBuffer dst) {
        long rowLength = shape.size() / shape.get(0);
        widen(arrayMemory(), Math.toIntExact(from * rowLength), Math.toIntExact((to - from) * rowLength), dst);
    }

    /** The rows {@code rows} (of a matrix) as a new f32 array (rows.length, columns) in {@code into}, in that order. */
    public NDArray gatherRows(NDManager into, long[] rows) {
        int cols = Math.toIntExact(shape.get(1));
        NDArray out = into.create(new Shape(rows.length, cols), DataType.FLOAT32);
        FloatBuffer dst = out.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        ByteBuffer src = arrayMemory();
        for (long row : rows) {
            if (row < 0 || row >= shape.get(0)) {
                throw new IllegalArgumentException("row " + row + " outside the " + shape.get(0) + " rows of a " + shape + " weight");
            }
            widen(src, Math.toIntExact(row * cols), cols, dst);
        }
        return out;
    }

    /** The PyTorch array's memory, for widening; null for a block type, which widens from its arrays. */
    private ByteBuffer arrayMemory() {
        return quants == null ? memory() : null;
    }

    /**
     * Widens {@code count} values from element {@code first} on into {@code dst}, from {@code m}
     * (the array's memory) or a block type's arrays; for block types both are whole rows, so whole blocks.
     */
    private void widen(ByteBuffer m, int first, int count, FloatBuffer dst) {
        switch (precision) {
            case F32 -> dst.put(m.asFloatBuffer().position(first).limit(first + count));
            case BF16 -> HalfFloats.bf16ToFloat(m.asShortBuffer().position(first).limit(first + count), dst);
            case F16 -> HalfFloats.f16ToFloat(m.asShortBuffer().position(first).limit(first + count), dst);
            case Q8_0, Q4_0 -> QuantBlocks.dequantize(quants, scales, (int) precision.bytes(QuantBlocks.BLOCK),
                    first / QuantBlocks.BLOCK, count / QuantBlocks.BLOCK, dst);
        }
    }
}
