package org.slmworkbench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
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
    /** Commands that keep the C allocator's own settings ({@link NativeHeap}). */
    private static final List<String> TRAINING_COMMANDS = List.of("train", "finetune");

    private Main() {}

    public static void main(String[] args) {
        if (System.getenv(RELAUNCHED) != null) {
            exitWithParent();
        } else if (ModuleLayer.boot().findModule(JvmLaunch.VECTOR_MODULE).isEmpty()) {
            Integer exit = relaunch(args);
            if (exit != null) {
                System.exit(exit);
            }
        }
        if (args.length == 0 || !TRAINING_COMMANDS.contains(args[0])) {
            NativeHeap.mapLargeBlocks();
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
        Path java = JvmLaunch.java();
        if (java == null) {
            return null;
        }
        List<String> options = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        options.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        options.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(JvmLaunch.command(java, options)).inheritIO();
        builder.environment().put(RELAUNCHED, "1");
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

    /**
     * A relaunched child ends when its launcher does, however that ends: a launcher killed outright
     * (the OOM killer, SIGKILL) runs no shutdown hook, and its child must not go on writing files.
     */
    private static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(137)));
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
}
