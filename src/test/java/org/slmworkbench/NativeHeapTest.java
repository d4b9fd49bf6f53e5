package org.slmworkbench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.ResourceScope;
import org.junit.jupiter.api.Test;

/**
 * On Linux with glibc (the test JVM has the launcher's modules and native access): with the
 * threshold fixed, blocks under it stay in the arena after they are freed, and {@link NativeHeap#release}
 * gives them back. Blocks of 2 MB are allocated through the C library as PyTorch allocates its tensors.
 */
class NativeHeapTest {
    private static final long BLOCK = 2L << 20;
    private static final int BLOCKS = 100;

    @Test
    void freedBlocksUnderTheThresholdStayUntilReleased() throws Throwable {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && Files.isReadable(Path.of("/proc/self/status")));
        assertTrue(NativeHeap.available(), "the test JVM is started with the foreign-function module and native access");
        assertTrue(NativeHeap.mapLargeBlocks());
        CLinker c = CLinker.getInstance();
        MethodHandle malloc = c.downcallHandle(CLinker.systemLookup().lookup("malloc").orElseThrow(),
                MethodType.methodType(MemoryAddress.class, long.class), FunctionDescriptor.of(CLinker.C_POINTER, CLinker.C_LONG));
        MethodHandle free = c.downcallHandle(CLinker.systemLookup().lookup("free").orElseThrow(),
                MethodType.methodType(void.class, MemoryAddress.class), FunctionDescriptor.ofVoid(CLinker.C_POINTER));
        List<MemoryAddress> blocks = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            MemoryAddress a = (MemoryAddress) malloc.invokeExact(BLOCK);
            a.asSegment(BLOCK, ResourceScope.globalScope()).fill((byte) 1);
            blocks.add(a);
        }
        // a block after them keeps them off the arena's top, which free() would trim by itself
        MemoryAddress guard = (MemoryAddress) malloc.invokeExact(BLOCK);
        guard.asSegment(BLOCK, ResourceScope.globalScope()).fill((byte) 1);
        long touched = rssKib();
        for (MemoryAddress a : blocks) {
            free.invokeExact(a);
        }
        long freed = rssKib();
        NativeHeap.release();
        long released = rssKib();
        free.invokeExact(guard);
        long total = BLOCKS * BLOCK / 1024;
        assertTrue(touched - freed < total / 4, "freed blocks under the threshold stay resident: " + touched + " -> " + freed + " KiB");
        assertTrue(freed - released > total * 3 / 4, "release gives them back: " + freed + " -> " + released + " KiB");
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
