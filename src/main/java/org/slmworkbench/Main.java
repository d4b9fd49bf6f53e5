package org.slmworkbench;

import org.slmworkbench.cli.WorkbenchCli;

/**
 * Entry point of the jar: no arguments opens the window, anything else is a command line. Kept free
 * of JavaFX types so the command line starts without the toolkit.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
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
}
