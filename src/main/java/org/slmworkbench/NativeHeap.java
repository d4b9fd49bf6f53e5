package org.slmworkbench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * Two settings of glibc's allocator, which holds PyTorch's tensors. glibc maps a block on its own
 * (and unmaps it when freed) from a threshold up; below it, blocks come from arenas that keep what
 * is freed. Left to itself it raises the threshold to 32 MB as mapped blocks are freed, and the
 * arenas kept the activations of passes over many tokens: perplexity and agreement of
 * tiny_starcoder grew the process from 1.1 GB to 9.2 GB. A threshold of 1 MB avoided that, but then
 * every activation was mapped and faulted in afresh: tiny_starcoder's perplexity pass took 10.6-11.2 s
 * instead of 6.4-7.5 s (7.8 million minor faults instead of 1.4). So the threshold is fixed at
 * {@link #MAPPED_FROM} ({@link #mapLargeBlocks}: TinyLlama's logits and matrices are mapped, a
 * layer's activations reused), and at the end of a phase that freed much (a compressed copy
 * closed, a pass over many tokens done) {@link #release} gives the arenas' free pages back
 * ({@code malloc_trim}). Training, which ran markedly slower with the 1 MB threshold, keeps glibc's
 * own. Both calls need the foreign-function module and native access, which the launcher gives;
 * without them, or on another C library, they do nothing.
 */
public final class NativeHeap {
    /** Blocks from this size up are mapped on their own. */
    static final int MAPPED_FROM = 16 << 20;
    /** mallopt's parameter for the threshold (malloc.h). */
    private static final int M_MMAP_THRESHOLD = -3;
    private static final MethodHandle TRIM = handle("malloc_trim", MethodType.methodType(int.class, long.class));
    private static final MethodHandle MALLOPT = handle("mallopt", MethodType.methodType(int.class, int.class, int.class));

    private NativeHeap() {}

    /** Fixes the mapping threshold at {@link #MAPPED_FROM}; false where that is not available. */
    public static boolean mapLargeBlocks() {
        if (MALLOPT == null) {
            return false;
        }
        try {
            return (int) MALLOPT.invokeExact(M_MMAP_THRESHOLD, MAPPED_FROM) == 1;
        } catch (Throwable e) {
            return false;
        }
    }

    /** Returns the allocator's free pages to the system; a no-op where that is not available. */
    public static void release() {
        if (TRIM == null) {
            return;
        }
        try {
            int ignored = (int) TRIM.invokeExact(0L);
        } catch (Throwable e) {
            // trimming only returns memory early: a failure costs memory, never a result
        }
    }

    /** True when both calls reach the allocator. */
    public static boolean available() {
        return TRIM != null && MALLOPT != null;
    }

    private static MethodHandle handle(String symbol, MethodType type) {
        if (ModuleLayer.boot().findModule(JvmLaunch.FOREIGN_MODULE).isEmpty()) {
            return null;
        }
        try {
            return Foreign.handle(symbol, type);
        } catch (RuntimeException | LinkageError e) {
            // no native access granted
            return null;
        }
    }

    /** Touches the incubating module only when it is present, so this class loads without it. */
    private static final class Foreign {
        static MethodHandle handle(String symbol, MethodType type) {
            jdk.incubator.foreign.CLinker c = jdk.incubator.foreign.CLinker.getInstance();
            jdk.incubator.foreign.MemoryLayout[] args = type.parameterList().stream()
                    .map(p -> p == long.class ? jdk.incubator.foreign.CLinker.C_LONG : jdk.incubator.foreign.CLinker.C_INT)
                    .toArray(jdk.incubator.foreign.MemoryLayout[]::new);
            return jdk.incubator.foreign.CLinker.systemLookup().lookup(symbol)
                    .map(address -> c.downcallHandle(address, type, jdk.incubator.foreign.FunctionDescriptor.of(
                            jdk.incubator.foreign.CLinker.C_INT, args)))
                    .orElse(null);
        }
    }
}
