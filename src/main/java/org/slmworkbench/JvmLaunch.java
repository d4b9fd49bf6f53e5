package org.slmworkbench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How this project starts a JVM of its own (the jar's relaunch with the vector module, a deployed
 * model measured in a fresh process): the java of this runtime, the vector module, the foreign-function
 * module with native access for {@link NativeHeap}, and a heap policy that keeps a model's process
 * near the memory of its weights.
 */
public final class JvmLaunch {
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** For {@link NativeHeap}'s call into the C allocator. */
    public static final String FOREIGN_MODULE = "jdk.incubator.foreign";
    /**
     * Compression allocates one tensor after another (hundreds of MB at 1.1B parameters), and G1 by
     * default grows the heap rather than collect, which cost a gigabyte of resident memory; these let
     * it spend more time collecting and give freed heap back. Compression asks for a collection when
     * it has built a copy and when the copy is closed ({@code CompressedModel}); made concurrent, the
     * request pauses no thread (the window's included) for a full collection. Quantized matrices are
     * heap arrays of 0.3-6 MB: with G1's default 4 MB regions an array over 2 MB takes whole regions
     * to itself, which left a quantized TinyLlama's 688 MB in 920 MB of heap; 1 MB regions waste a
     * tenth of that. The garbage of the vector kernels before the JIT compiles them (over a GB at
     * 1.1B parameters) made G1 grow the young generation past a GB; 128 MB holds it. Together they
     * took generate on the int4 TinyLlama from 1.48 to 1.16-1.19 GB peak. JVM options given after them win.
     */
    static final List<String> HEAP_POLICY = List.of("-XX:GCTimeRatio=4", "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=20",
            "-XX:+ExplicitGCInvokesConcurrent", "-XX:G1HeapRegionSize=1m", "-XX:MaxNewSize=128m");

    private JvmLaunch() {}

    /** This runtime's java launcher, or null when it has none (a stripped runtime image). */
    public static Path java() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Path java = Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
        return Files.isExecutable(java) ? java : null;
    }

    /** java with the vector and foreign-function modules and the heap policy, then {@code options}. */
    public static List<String> command(Path java, List<String> options) {
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", VECTOR_MODULE + "," + FOREIGN_MODULE,
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(HEAP_POLICY);
        command.addAll(options);
        return command;
    }
}
