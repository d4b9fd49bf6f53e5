package org.slmworkbench.cli;

import org.slmworkbench.model.Engines;
import picocli.CommandLine.Option;

/** The --threads flag every compute command shares. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "CPU threads for tensor ops (default: all cores)")
    int threads;

    int apply() {
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0");
        }
        return Engines.setThreads(threads > 0 ? threads : Engines.allCores());
    }
}
