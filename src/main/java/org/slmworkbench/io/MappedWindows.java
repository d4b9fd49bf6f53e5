package org.slmworkbench.io;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks a byte range of a file through read-only memory mappings of at most one window each
 * (a MappedByteBuffer cannot exceed 2 GiB). Windows start at the range's first byte and hold a
 * whole number of elements, so no element is ever split between two mappings wherever the range
 * sits in the file. Each window is unmapped as soon as the action returns.
 */
final class MappedWindows {
    /**
     * 64 MiB: a multiple of every element size. A mapped window's pages count in the process's
     * resident memory until it is unmapped, so a small window keeps a model's load close to the
     * memory of its weights (1 GiB windows added up to a gigabyte to the peak).
     */
    static final int DEFAULT_WINDOW_BYTES = 1 << 26;

    private MappedWindows() {
    }

    /**
     * Calls {@code action} with consecutive little-endian windows covering
     * {@code [position, position + length)}. The action must not keep the buffer or any view of it.
     */
    static void forEach(FileChannel channel, long position, long length, int elementSize, int windowBytes,
            IoAction<? super MappedByteBuffer> action) throws IOException {
        long step = windowBytes - windowBytes % elementSize;
        for (long done = 0; done < length; done += step) {
            MappedByteBuffer window =
                    channel.map(FileChannel.MapMode.READ_ONLY, position + done, Math.min(step, length - done));
            window.order(ByteOrder.LITTLE_ENDIAN);
            try {
                action.run(window);
            } finally {
                Unmapper.unmap(window);
            }
        }
    }
}
