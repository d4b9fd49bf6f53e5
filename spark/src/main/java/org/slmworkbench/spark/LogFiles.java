package org.slmworkbench.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.slmworkbench.BadInputException;
import org.slmworkbench.bench.ScoreFiles;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.JsonLinesRecords;
import org.slmworkbench.data.TextFiles;

/**
 * The log (or JSON Lines) files of a job's inputs on any Hadoop file system: listed on the driver (a
 * folder stands for the log files under it, as for {@code score}), read whole by the task that scores them.
 */
final class LogFiles {
    private LogFiles() {}

    /** One file to score: its full path and its size, by which files are spread over tasks. */
    record LogFile(String path, long bytes) implements Serializable {}

    /** The files a folder stands for: by their name, and in the message when it holds none. */
    enum Kind {
        LOGS("log files (.log, .txt, .out or without extension)", name -> DatasetLoader.isLogFile(java.nio.file.Path.of(name))),
        JSON_LINES("JSON Lines files (.jsonl)", name -> name.toLowerCase(Locale.ROOT).endsWith(".jsonl"));

        private final String described;
        private final Predicate<String> named;

        Kind(String described, Predicate<String> named) {
            this.described = described;
            this.named = named;
        }
    }

    /** The files named or under the folders named (globs allowed), sorted by path. */
    static List<LogFile> list(List<String> inputs, Configuration conf, Kind kind) {
        List<LogFile> files = new ArrayList<>();
        for (String input : inputs) {
            int before = files.size();
            try {
                Path path = new Path(input);
                FileStatus[] matched = path.getFileSystem(conf).globStatus(path);
                if (matched == null || matched.length == 0) {
                    throw new BadInputException(input + ": does not exist");
                }
                for (FileStatus s : matched) {
                    if (s.isDirectory()) {
                        addFiles(s.getPath(), path.getFileSystem(conf), kind, files);
                    } else {
                        files.add(new LogFile(s.getPath().toString(), s.getLen()));
                    }
                }
            } catch (IOException e) {
                throw new BadInputException(input + ": cannot be listed: " + e.getMessage());
            }
            if (files.size() == before) {
                throw new BadInputException(input + ": holds no " + kind.described);
            }
        }
        files.sort(Comparator.comparing(LogFile::path));
        return files;
    }

    private static void addFiles(Path folder, FileSystem fs, Kind kind, List<LogFile> into) throws IOException {
        RemoteIterator<LocatedFileStatus> all = fs.listFiles(folder, true);
        while (all.hasNext()) {
            LocatedFileStatus s = all.next();
            String relative = s.getPath().toUri().getPath().substring(folder.toUri().getPath().length());
            if (!hidden(relative) && kind.named.test(s.getPath().getName())) {
                into.add(new LogFile(s.getPath().toString(), s.getLen()));
            }
        }
    }

    /** Hidden files and folders, and Hadoop's own (_SUCCESS, _temporary), are not logs. */
    private static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".") || part.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The file's lines, as {@code score} splits a local file; refused as {@code score} refuses it if it
     * is binary. An empty file has none: a fleet's freshly rotated logs are empty, not wrong.
     */
    static List<String> lines(LogFile file, Configuration conf) {
        Path path = new Path(file.path());
        try (InputStream in = path.getFileSystem(conf).open(path)) {
            String text = TextFiles.read(file.path(), in);
            return text.isBlank() ? List.of() : ScoreFiles.lines(text);
        } catch (IOException e) {
            throw new UncheckedIOException(file.path() + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code field} of each object of a JSON Lines file, in the file's order, checked as the
     * workbench checks a local one (blank lines skipped; a line that is not an object with the field
     * fails, naming the file and the line).
     */
    static List<String> jsonLines(LogFile file, Configuration conf, String field) {
        List<String> lines = lines(file, conf);
        List<String> texts = new ArrayList<>(lines.size());
        java.nio.file.Path name = java.nio.file.Path.of(file.path());
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                texts.add(JsonLinesRecords.text(lines.get(i), field, name, i + 1));
            }
        }
        return texts;
    }
}
