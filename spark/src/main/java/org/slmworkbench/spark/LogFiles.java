package org.slmworkbench.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.slmworkbench.BadInputException;
import org.slmworkbench.bench.ScoreFiles;
import org.slmworkbench.data.DatasetLoader;
import org.slmworkbench.data.TextFiles;

/**
 * The log files of a job's inputs on any Hadoop file system: listed on the driver (a folder stands
 * for the log files under it, as for {@code score}), read whole by the task that scores them.
 */
final class LogFiles {
    private LogFiles() {}

    /** One file to score: its full path and its size, by which files are spread over tasks. */
    record LogFile(String path, long bytes) implements Serializable {}

    /** The files named or under the folders named (globs allowed), sorted by path. */
    static List<LogFile> list(List<String> inputs, Configuration conf) {
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
                        addLogFiles(s.getPath(), path.getFileSystem(conf), files);
                    } else {
                        files.add(new LogFile(s.getPath().toString(), s.getLen()));
                    }
                }
            } catch (IOException e) {
                throw new BadInputException(input + ": cannot be listed: " + e.getMessage());
            }
            if (files.size() == before) {
                throw new BadInputException(input + ": holds no log files (.log, .txt, .out or without extension)");
            }
        }
        files.sort(Comparator.comparing(LogFile::path));
        return files;
    }

    private static void addLogFiles(Path folder, FileSystem fs, List<LogFile> into) throws IOException {
        RemoteIterator<LocatedFileStatus> all = fs.listFiles(folder, true);
        while (all.hasNext()) {
            LocatedFileStatus s = all.next();
            String relative = s.getPath().toUri().getPath().substring(folder.toUri().getPath().length());
            if (!hidden(relative) && DatasetLoader.isLogFile(java.nio.file.Path.of(s.getPath().getName()))) {
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
}
