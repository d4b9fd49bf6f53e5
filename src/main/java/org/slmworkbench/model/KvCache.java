package org.slmworkbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Keys and values of every layer for one batch of sequences, preallocated to a fixed length and
 * written in place, so decoding a token allocates nothing that outlives its step.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;
    private int length;

    public KvCache(NDManager parent, int layers, int batch, int kvHeads, int headDim, int capacity) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        keys = new NDArray[layers];
        values = new NDArray[layers];
        Shape shape = new Shape(batch, kvHeads, capacity, headDim);
        for (int i = 0; i < layers; i++) {
            keys[i] = manager.zeros(shape);
            values[i] = manager.zeros(shape);
        }
    }

    /** Tokens already cached: the position the next token takes. */
    public int length() {
        return length;
    }

    /** Stores k, v (B, kvHeads, T, headDim) at positions length..length+T-1 and returns all cached so far. */
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        int t = (int) k.getShape().get(2);
        checkRoom(t);
        NDIndex slot = new NDIndex(":, :, {}:{}", length, length + t);
        keys[layer].set(slot, k);
        values[layer].set(slot, v);
        NDManager m = k.getManager();
        return new NDArray[] {
            Ops.slice(keys[layer], m, ":, :, :{}", length + t), Ops.slice(values[layer], m, ":, :, :{}", length + t)
        };
    }

    /** Fails unless t more positions fit. */
    void checkRoom(int t) {
        if (length + t > capacity) {
            throw new IllegalStateException("KV cache full: " + capacity + " positions");
        }
    }

    int capacity() {
        return capacity;
    }

    /**
     * A view of layer {@code layer}'s keys (or values): f32 in native order, laid out (batch,
     * kvHeads, capacity, headDim); asked of the array each call, as {@code set} may move it.
     */
    ByteBuffer memory(int layer, boolean ofKeys) {
        return (ofKeys ? keys : values)[layer].toByteBuffer(true).order(ByteOrder.nativeOrder());
    }

    /** Called once per forward pass after every layer has appended t tokens. */
    public void advance(int t) {
        length += t;
    }

    @Override
    public void close() {
        manager.close();
    }
}
