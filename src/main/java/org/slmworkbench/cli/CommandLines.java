package org.slmworkbench.cli;

import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/** Small helpers the commands share: the command that was run, for model cards, and flag checks. */
final class CommandLines {
    private CommandLines() {}

    /** Refuses an --out that is the --model folder: {@code what} never overwrites its source. */
    static void requireDistinct(Path model, Path out, String what) {
        if (model.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out must differ from --model: " + what + " never overwrites its source");
        }
    }

    static String reconstruct(CommandSpec spec) {
        return "java -jar target/slm-workbench.jar " + spec.commandLine().getParseResult().originalArgs().stream()
                .map(a -> a.contains(" ") ? "'" + a + "'" : a)
                .collect(Collectors.joining(" "));
    }
}
