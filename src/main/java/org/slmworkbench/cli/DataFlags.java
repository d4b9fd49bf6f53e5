package org.slmworkbench.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.slmworkbench.data.DataOptions;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.TextDataset;
import picocli.CommandLine.Option;

/** --data and the flags that say how to read it, shared by every command that reads a dataset. */
final class DataFlags {
    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "FILE|DIR",
            description = "text, .jsonl, .json, .csv or .parquet files, or folders of logs (or of source files with --extensions)")
    List<Path> paths;

    @Option(names = "--text-field", paramLabel = "NAME", defaultValue = DataOptions.DEFAULT_FIELD,
            description = ".jsonl/.json: the field holding the text (default: ${DEFAULT-VALUE})")
    String textField;

    @Option(names = "--column", paramLabel = "NAME",
            description = ".csv/.parquet: the column holding the text (default: text, or the only text column)")
    String column;

    @Option(names = "--extensions", split = ",", paramLabel = "EXT",
            description = "read folders as source trees: only files with these extensions (e.g. py,txt), one document each;"
                    + " hidden folders, __pycache__, node_modules, binary files and files over 1 MiB are skipped")
    List<String> extensions = List.of();

    @Option(names = "--max-chars", paramLabel = "N", defaultValue = "" + DataOptions.DEFAULT_MAX_CHARS,
            description = "stop reading after N characters in total, so memory stays bounded (default: ${DEFAULT-VALUE})")
    long maxChars;

    DataOptions options() {
        return new DataOptions(textField, column, new HashSet<>(extensions), maxChars);
    }

    /** The dataset, with a note on stderr when reading stopped at the cap. */
    TextDataset load(double heldoutFraction) {
        TextDataset data = DatasetLoader.load(paths, heldoutFraction, options());
        if (data.truncated()) {
            System.err.printf(Locale.ROOT, "data: reading stopped at the --max-chars cap of %,d characters%n", maxChars);
        }
        return data;
    }
}
