package org.slmworkbench.compress;

import org.slmworkbench.NativeHeap;
import org.slmworkbench.model.CausalLm;

/**
 * A compressed copy of a model, the setting that made it and how long that took. Closing it frees
 * the copy only; the base model is untouched.
 *
 * <p>Closing also asks for a garbage collection, as {@link Compressor} does when it has built the
 * copy. Building, measuring and sizing a copy at 1.1B parameters grow the heap by hundreds of MB of
 * tensors widened to floats; G1 gives that back only after a collection cycle, which a process
 * with little live heap may not run for minutes: tiny_starcoder's bench stayed 700 MB above the
 * base between settings, and its peak fell from 2.46 to 2.08 GB with this. Under the project's
 * launcher the request is a concurrent cycle (JvmLaunch's heap policy), which pauses no thread.
 * The copy's native tensors went back to the C allocator: {@link NativeHeap#release} hands its free
 * pages to the system.
 */
public record CompressedModel(CausalLm model, CompressionConfig config, long compressMillis) implements AutoCloseable {
    @Override
    public void close() {
        model.close();
        System.gc();
        NativeHeap.release();
    }
}
