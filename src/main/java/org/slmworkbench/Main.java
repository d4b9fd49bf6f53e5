package org.slmworkbench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slmworkbench.cli.WorkbenchCli;

/**
 * Entry point of the jar: no arguments opens the window, anything else is a command line. Kept free
 * of JavaFX types so the command line starts without the toolkit.
 *
 * <p>The decode kernel needs the JDK's incubating vector module, which java only loads when asked.
 * So that {@code java -jar} works at full speed without flags to know, a JVM started without it
 * runs the same jar again in a child JVM that has it, with the same arguments and JVM options, and
 * passes on its exit code; if no child can be started, it runs here on PyTorch alone.
 */
public final class Main {
    /** Set in the child's environment, so it never starts another. */
    static final String RELAUNCHED = "SLM_WORKBENCH_RELAUNCHED";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    /**
     * The child's heap policy: compression allocates one tensor after another (hundreds of MB at
     * 1.1B parameters), and G1 by default grows the heap rather than collect, which cost a gigabyte
     * of resident memory; these let it spend more time collecting and give freed heap back. JVM
     * options the user gives come after them and win.
     */
    static final List<String> HEAP_POLICY = List.of("-XX:GCTimeRatio=4", "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=20");
    /**
     * For glibc's allocator in the child: blocks of 1 MB and more are mapped and returned when
     * freed. Left to itself it raises that threshold to 32 MB and keeps freed activations of
     * passes over many tokens: perplexity and agreement of tiny_starcoder grew the process from
     * 1.1 GB to 9.2 GB, with this 1.2 GB. Training, which allocates such blocks every step and ran
     * markedly slower with it, keeps the default. Other C libraries ignore the variable.
     */
    private static final String MALLOC_MMAP_THRESHOLD = "MALLOC_MMAP_THRESHOLD_";
    private static final List<String> TRAINING_COMMANDS = List.of("train", "finetune");

    private Main() {}

    public static void main(String[] args) {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty() && System.getenv(RELAUNCHED) == null) {
            Integer exit = relaunch(args);
            if (exit != null) {
                System.exit(exit);
            }
        }
        // models come from local folders and the native library from its jar: never download
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (args.length == 0) {
            org.slmworkbench.ui.WorkbenchApp.launchWindow(args);
            return;
        }
        System.exit(WorkbenchCli.run(args));
    }

    /** Runs this jar in a child JVM with the vector module and returns its exit code, or null when none can start. */
    private static Integer relaunch(String[] args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
        if (!Files.isExecutable(java)) {
            return null;
        }
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", VECTOR_MODULE));
        command.addAll(HEAP_POLICY);
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(RELAUNCHED, "1");
        if (args.length == 0 || !TRAINING_COMMANDS.contains(args[0])) {
            builder.environment().putIfAbsent(MALLOC_MMAP_THRESHOLD, Integer.toString(1 << 20));
        }
        try {
            Process child = builder.start();
            // a parent stopped by Ctrl-C or a kill takes its child along
            Thread reaper = new Thread(child::destroy, "stop-child-jvm");
            Runtime.getRuntime().addShutdownHook(reaper);
            int exit = waitFor(child);
            Runtime.getRuntime().removeShutdownHook(reaper);
            return exit;
        } catch (IOException e) {
            return null;
        }
    }

    private static int waitFor(Process child) {
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                child.destroy();
            }
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
