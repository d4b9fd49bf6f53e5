package org.slmworkbench.io;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Releases a memory mapping now instead of whenever the garbage collector gets to it. That matters
 * on Windows, where a mapped file cannot be replaced or deleted, and keeps the address space of a
 * long session small. Java 17 has no public API for this; {@code sun.misc.Unsafe.invokeCleaner}
 * (module jdk.unsupported) is the supported escape hatch. If it is unavailable the GC unmaps later.
 *
 * <p>Callers must guarantee that no view of the buffer is used afterwards: touching unmapped memory
 * crashes the JVM. Only {@link MappedWindows} calls this, on windows it never hands out.
 */
final class Unmapper {
    private static final MethodHandle INVOKE_CLEANER = findInvokeCleaner();

    private Unmapper() {
    }

    static void unmap(MappedByteBuffer buffer) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invokeExact((ByteBuffer) buffer);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            // Not unmapped now; the garbage collector releases the mapping later.
        }
    }

    private static MethodHandle findInvokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
