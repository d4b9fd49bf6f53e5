package org.slmworkbench.cli;

import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/** Rebuilds the command that was run, for model cards. */
final class CommandLines {
    private CommandLines() {}

    static String reconstruct(CommandSpec spec) {
        return "java -jar target/slm-workbench.jar " + spec.commandLine().getParseResult().originalArgs().stream()
                .map(a -> a.contains(" ") ? "'" + a + "'" : a)
                .collect(Collectors.joining(" "));
    }
}
