package org.slmworkbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resident memory of this process as the operating system counts it (native tensors included),
 * read from /proc on Linux; -1 where that is not available.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    public static long rssBytes() {
        return field("VmRSS:");
    }

    /** The most resident memory this process has had so far (the kernel's high-water mark), or -1. */
    public static long peakRssBytes() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            List<String> lines = Files.readAllLines(STATUS);
            for (String line : lines) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public static String megabytes(long bytes) {
        return bytes < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.0f MB", bytes / 1e6);
    }
}
