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

/**
 * One tensor of a model as it sits in native memory, at its {@link Precision}. An f32 weight is an
 * ordinary PyTorch array; a 16-bit one keeps its bits in a 2-byte PyTorch array that only this
 * project's code reads (PyTorch through DJL cannot hold bf16), so nothing hands it to PyTorch as
 * numbers: the decode kernel reads it directly and multi-token products widen it a few rows at a
 * time ({@link #widenRows}).
 *
 * <p>Memory is allocated by PyTorch, not as Java direct buffers, so a model is not capped by the
 * JVM's direct-memory limit, and the Java heap never holds a copy.
 */
public final class Weight {
    private final NDArray storage;
    private final Precision precision;
    private final Shape shape;

    private Weight(NDArray storage, Precision precision) {
        this.storage = storage;
        this.precision = precision;
        this.shape = storage.getShape();
    }

    /** An f32 weight on an f32 array (read, random or trained); the weight reads the array's own memory. */
    public static Weight of(NDArray f32) {
        if (f32.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("an f32 weight needs a FLOAT32 array, got " + f32.getDataType());
        }
        return new Weight(f32, Precision.F32);
    }

    /**
     * A new weight in {@code manager}, its memory filled by {@code fill} (native byte order, position
     * 0, capacity the tensor's bytes): values of the precision, bf16 and f16 as their bit patterns.
     */
    public static Weight allocate(NDManager manager, Shape shape, Precision precision, Consumer<ByteBuffer> fill) {
        NDArray storage = manager.create(shape, precision == Precision.F32 ? DataType.FLOAT32 : DataType.FLOAT16);
        Weight w = new Weight(storage, precision);
        fill.accept(w.memory());
        return w;
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
            }
        });
    }

    /** The array holding this weight's memory. For f32 it is the values; a 16-bit container is only bits. */
    public NDArray storage() {
        return storage;
    }

    public Precision precision() {
        return precision;
    }

    public Shape shape() {
        return shape;
    }

    /** Bytes this weight occupies in memory. */
    public long bytes() {
        return shape.size() * precision.bytes();
    }

    /**
     * The weight's own memory in native byte order: a new view each call, asked of the array each
     * time, since an edit such as {@code NDArray.set} may give the array new memory.
     */
    public ByteBuffer memory() {
        return storage.toByteBuffer(true).order(ByteOrder.nativeOrder());
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
        widen(memory(), 0, n, FloatBuffer.wrap(into, 0, n));
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
        long rowLength = shape.size() / shape.get(0);
        widen(memory(), Math.toIntExact(from * rowLength), Math.toIntExact((to - from) * rowLength),
                dst.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer());
    }

    /** The rows {@code rows} (of a matrix) as a new f32 array (rows.length, columns) in {@code into}, in that order. */
    public NDArray gatherRows(NDManager into, long[] rows) {
        int cols = Math.toIntExact(shape.get(1));
        NDArray out = into.create(new Shape(rows.length, cols), DataType.FLOAT32);
        FloatBuffer dst = out.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        ByteBuffer src = memory();
        for (long row : rows) {
            if (row < 0 || row >= shape.get(0)) {
                throw new IllegalArgumentException("row " + row + " outside the " + shape.get(0) + " rows of a " + shape + " weight");
            }
            widen(src, Math.toIntExact(row * cols), cols, dst);
        }
        return out;
    }

    /** Widens {@code count} values from element {@code first} of this weight's memory {@code m} on into {@code dst}. */
    private void widen(ByteBuffer m, int first, int count, FloatBuffer dst) {
        switch (precision) {
            case F32 -> dst.put(m.asFloatBuffer().position(first).limit(first + count));
            case BF16 -> HalfFloats.bf16ToFloat(m.asShortBuffer().position(first).limit(first + count), dst);
            case F16 -> HalfFloats.f16ToFloat(m.asShortBuffer().position(first).limit(first + count), dst);
        }
    }
}
