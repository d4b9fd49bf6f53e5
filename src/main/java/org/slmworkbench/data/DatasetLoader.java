package org.slmworkbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slmworkbench.BadInputException;
import org.slmworkbench.data.DatasetBuilder.Part;

/**
 * Turns the files and folders a user picked into a {@link TextDataset}, reading at most
 * {@link DataOptions#maxChars()} characters in total: every format is streamed and reading stops
 * at the cap, so a file of many gigabytes costs no more memory than the cap.
 *
 * <p>A file is read by its extension: {@code .jsonl}, {@code .json}, {@code .csv} and
 * {@code .parquet} hold one text per record (see {@link DataOptions} for which field or column);
 * anything else is plain text. Plain text is cut at a line boundary so that about the last
 * {@code heldoutFraction} of each file is held out; records are held out whole, every 10th at a
 * fraction of 0.1 (a file of 2 to 9 records holds out its last).
 *
 * <p>Folders are read recursively in sorted order, skipping hidden folders, {@code __pycache__}
 * and {@code node_modules}. By default they hold logs: {@code .log}, {@code .txt}, {@code .out}
 * and extension-less files; empty and unreadable ones are skipped. With
 * {@link DataOptions#extensions()} set, a folder is a source tree: only files with those
 * extensions, each one document held out whole like a record, skipping binary files and files over
 * 1 MiB (generated or minified). A folder with both a {@code train/} and a {@code heldout/}
 * sub-folder (the sample-logs layout) is already split. A file named explicitly must be readable
 * and hold text.
 */
public final class DatasetLoader {
    public static final double MAX_HELDOUT_FRACTION = 0.5;
    /** Source files larger than this are generated or minified, not code anyone wrote. */
    static final long MAX_SOURCE_FILE_BYTES = 1024 * 1024;
    /** "" stands for files without an extension. */
    private static final Set<String> LOG_EXTENSIONS = Set.of("log", "txt", "out", "");
    /** The share of the cap that a pre-split folder's held-out part may take; it is read first, so the cap cannot leave it empty. */
    private static final double HELDOUT_SHARE_OF_CAP = 0.1;

    private DatasetLoader() {
    }

    /** Whether a folder's file is read as a log: .log, .txt, .out or no extension (labels.tsv and READMEs are not). */
    public static boolean isLogFile(Path file) {
        return LOG_EXTENSIONS.contains(TextFiles.extension(file));
    }

    /** {@link #load(List, double, DataOptions)} with the default options. */
    public static TextDataset load(List<Path> paths, double heldoutFraction) {
        return load(paths, heldoutFraction, DataOptions.DEFAULTS);
    }

    /**
     * @param paths files and folders, in the order the user gave them
     * @param heldoutFraction share of each file's characters (or of the records) to hold out, in
     *     [0, 0.5]; ignored for pre-split folders
     * @throws BadInputException for a missing, unreadable, empty or binary input, a malformed
     *     dataset file, or data of a single line or row while some is to be held out, naming it
     */
    public static TextDataset load(List<Path> paths, double heldoutFraction, DataOptions options) {
        if (paths == null || paths.isEmpty()) {
            throw new BadInputException("no data files or folders given");
        }
        if (!(heldoutFraction >= 0 && heldoutFraction <= MAX_HELDOUT_FRACTION)) {
            throw new BadInputException("heldout fraction must be between 0 and " + MAX_HELDOUT_FRACTION
                    + ", got " + heldoutFraction);
        }
        // every input is checked, also those that the cap leaves unread
        paths.forEach(TextFiles::requireReadable);
        DatasetBuilder data = new DatasetBuilder(heldoutFraction, options.maxChars());
        for (Path path : paths) {
            if (data.isFull()) {
                break;
            }
            if (!Files.isDirectory(path)) {
                readFile(path, options, data);
            } else if (isPreSplit(path)) {
                data.startShare(HELDOUT_SHARE_OF_CAP);
                readFolder(path.resolve("heldout"), Part.HELDOUT, options, data);
                data.endShare();
                readFolder(path.resolve("train"), Part.TRAIN, options, data);
            } else {
                readFolder(path, Part.SPLIT, options, data);
            }
        }
        return data.build(paths);
    }

    /**
     * The first {@code n} lines of a text file, or texts of a dataset file's first {@code n}
     * records, for a preview; reads no more of the file than that. Overlong lines are cut with an
     * ellipsis and a record's line breaks show as ⏎.
     */
    public static List<String> preview(Path file, int n, DataOptions options) {
        return FilePreview.of(file, n, options);
    }

    /** {@link #preview(Path, int, DataOptions)} with the default options. */
    public static List<String> previewLines(Path file, int n) {
        return preview(file, n, DataOptions.DEFAULTS);
    }

    /** A file named explicitly: it must hold text. */
    private static void readFile(Path file, DataOptions options, DatasetBuilder data) {
        Optional<RowFormat> format = RowFormat.of(file);
        if (format.isPresent()) {
            if (readRows(file, format.get(), Part.SPLIT, options, data) == 0) {
                throw new BadInputException(file, "has no rows with text; expected at least one");
            }
            return;
        }
        String text = TextFiles.read(file, data.textToRead());
        if (text.isBlank()) {
            throw new BadInputException(file, "is empty (or only whitespace); expected text to train on");
        }
        data.addText(file, text, Part.SPLIT);
    }

    /** @return the number of rows with text read */
    private static long readRows(Path file, RowFormat format, Part part, DataOptions options, DatasetBuilder data) {
        DatasetBuilder.RecordGroup rows = data.records(part, "row");
        try (Records records = format.open(file, options)) {
            String text;
            while (!data.isFull() && (text = records.next()) != null) {
                rows.add(file, text);
            }
        }
        rows.finish();
        return rows.count();
    }

    private static void readFolder(Path folder, Part part, DataOptions options, DatasetBuilder data) {
        TextFiles.requireReadable(folder);
        boolean any = options.readsSourceTrees() ? readSourceTree(folder, part, options, data) : readLogFolder(folder, part, data);
        if (!any && !data.isFull()) {
            throw new BadInputException(folder, "holds no readable, non-empty " + (options.readsSourceTrees()
                    ? "files with the extensions " + String.join(", ", options.extensions())
                    : "text files (.log, .txt, .out or without extension)"));
        }
    }

    private static boolean readLogFolder(Path folder, Part part, DatasetBuilder data) {
        boolean any = false;
        for (Path file : FolderFiles.list(folder, DatasetLoader::isLogFile)) {
            if (data.isFull()) {
                break;
            }
            String text = TextFiles.read(file, data.textToRead());
            if (!text.isBlank()) {
                data.addText(file, text, part);
                any = true;
            }
        }
        return any;
    }

    /** Dataset files (shards) are read by their format; every other file is one record of the tree. */
    private static boolean readSourceTree(Path folder, Part part, DataOptions options, DatasetBuilder data) {
        DatasetBuilder.RecordGroup sources = data.records(part, "file");
        long rows = 0;
        for (Path file : FolderFiles.list(folder, f -> options.extensions().contains(TextFiles.extension(f)))) {
            if (data.isFull()) {
                break;
            }
            Optional<RowFormat> format = RowFormat.of(file);
            if (format.isPresent()) {
                rows += readRows(file, format.get(), part, options, data);
            } else if (isSourceFile(file)) {
                sources.add(file, TextFiles.read(file, data.remaining()));
            }
        }
        sources.finish();
        return rows + sources.count() > 0;
    }

    private static boolean isSourceFile(Path file) {
        try {
            return Files.size(file) <= MAX_SOURCE_FILE_BYTES && TextFiles.looksLikeText(file);
        } catch (IOException e) {
            return false; // vanished or unreadable since it was listed: skipped like other unreadable files
        }
    }

    private static boolean isPreSplit(Path folder) {
        return Files.isDirectory(folder.resolve("train")) && Files.isDirectory(folder.resolve("heldout"));
    }
}
