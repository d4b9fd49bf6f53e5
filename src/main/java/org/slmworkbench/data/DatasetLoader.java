package org.slmworkbench.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slmworkbench.BadInputException;

/**
 * Turns the files and folders a user picked into a {@link TextDataset}.
 *
 * <p>Folders are read recursively in sorted order, taking {@code .log}, {@code .txt},
 * {@code .out} and extension-less files and skipping hidden ones. A folder with both a
 * {@code train/} and a {@code heldout/} sub-folder (the sample-logs layout) is already split;
 * every other file is cut at a line boundary so that about the last {@code heldoutFraction} of
 * its characters is held out. In folders, empty and unreadable files are skipped; a file named
 * explicitly must be readable and non-empty.
 */
public final class DatasetLoader {
    public static final double MAX_HELDOUT_FRACTION = 0.5;
    private static final Set<String> TEXT_EXTENSIONS = Set.of("log", "txt", "out");
    /** Preview lines longer than this are cut, so one huge line cannot flood the UI. */
    private static final int MAX_PREVIEW_LINE_CHARS = 2_000;
    private static final String ELLIPSIS = "\u2026";

    private DatasetLoader() {
    }

    /**
     * @param paths files and folders, in the order the user gave them
     * @param heldoutFraction share of each file's characters to hold out, in [0, 0.5]; ignored for
     *     pre-split folders
     * @throws BadInputException for a missing, unreadable, empty or binary input, naming it
     */
    public static TextDataset load(List<Path> paths, double heldoutFraction) {
        if (paths == null || paths.isEmpty()) {
            throw new BadInputException("no data files or folders given");
        }
        if (!(heldoutFraction >= 0 && heldoutFraction <= MAX_HELDOUT_FRACTION)) {
            throw new BadInputException("heldout fraction must be between 0 and " + MAX_HELDOUT_FRACTION
                    + ", got " + heldoutFraction);
        }
        List<Document> train = new ArrayList<>();
        List<Document> heldout = new ArrayList<>();
        for (Path path : paths) {
            TextFiles.requireReadable(path);
            if (!Files.isDirectory(path)) {
                String text = TextFiles.read(path);
                if (text.isBlank()) {
                    throw new BadInputException(path, "is empty (or only whitespace); expected text to train on");
                }
                split(path, text, heldoutFraction, train, heldout);
            } else if (isPreSplit(path)) {
                train.addAll(readFolder(path.resolve("train")));
                heldout.addAll(readFolder(path.resolve("heldout")));
            } else {
                for (Document whole : readFolder(path)) {
                    split(whole.source(), whole.text(), heldoutFraction, train, heldout);
                }
            }
        }
        // Not empty: every file above was rejected or skipped if blank, and split() keeps train non-blank.
        return new TextDataset(train, heldout);
    }

    /**
     * The first {@code n} lines of a text file for a preview, read without loading the whole
     * file; malformed UTF-8 shows as U+FFFD and overlong lines are cut with an ellipsis.
     */
    public static List<String> previewLines(Path path, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("line count must not be negative: " + n);
        }
        TextFiles.requireReadable(path);
        if (Files.isDirectory(path)) {
            throw new BadInputException(path, "is a folder; pick a file to preview");
        }
        TextFiles.rejectBinary(path);
        List<String> lines = new ArrayList<>(Math.min(n, 1_000));
        try (Reader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(path),
                StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            boolean cut = false;
            boolean first = true;
            int c;
            while (lines.size() < n && (c = reader.read()) != -1) {
                if (first && c == '\uFEFF') {
                    first = false;
                    continue;
                }
                first = false;
                if (c == '\n') {
                    lines.add(finishLine(line, cut));
                    line.setLength(0);
                    cut = false;
                } else if (line.length() < MAX_PREVIEW_LINE_CHARS) {
                    line.append((char) c);
                } else {
                    cut = true;
                }
            }
            if (lines.size() < n && (line.length() > 0 || cut)) {
                lines.add(finishLine(line, cut));
            }
        } catch (IOException e) {
            throw new BadInputException(path, "cannot be read: " + e.getMessage(), e);
        }
        return lines;
    }

    private static String finishLine(StringBuilder line, boolean cut) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        return line.substring(0, end) + (cut ? ELLIPSIS : "");
    }

    private static boolean isPreSplit(Path folder) {
        return Files.isDirectory(folder.resolve("train")) && Files.isDirectory(folder.resolve("heldout"));
    }

    /** Every non-empty text file under the folder, in sorted order, as one document each. */
    private static List<Document> readFolder(Path folder) {
        TextFiles.requireReadable(folder);
        List<Document> documents = new ArrayList<>();
        for (Path file : textFilesUnder(folder)) {
            String text = TextFiles.read(file);
            if (!text.isBlank()) {
                documents.add(new Document(file, text));
            }
        }
        if (documents.isEmpty()) {
            throw new BadInputException(folder, "holds no readable, non-empty text files "
                    + "(.log, .txt, .out or without extension)");
        }
        return documents;
    }

    private static List<Path> textFilesUnder(Path folder) {
        List<Path> files = new ArrayList<>();
        SimpleFileVisitor<Path> collector = new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(folder) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !isHidden(file) && hasTextName(file) && Files.isReadable(file)) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // unreadable entries and link loops are skipped
            }
        };
        try {
            // Links are followed: log folders often hold some.
            Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, collector);
        } catch (IOException e) {
            throw new BadInputException(folder, "cannot be listed: " + e.getMessage(), e);
        }
        // Sort on '/'-separated relative paths so the order is the same on every platform.
        files.sort(Comparator.comparing(file -> folder.relativize(file).toString().replace('\\', '/')));
        return files;
    }

    private static boolean isHidden(Path path) {
        return path.getFileName() != null && path.getFileName().toString().startsWith(".");
    }

    /** .log, .txt, .out or no extension at all; labels.tsv and README.md fall outside this. */
    private static boolean hasTextName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 || TEXT_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Adds the file's text to train and its tail to heldout, cut at the line start nearest to the
     * requested share. If there is no such line start, or either side would be blank, the whole
     * file goes to train.
     */
    private static void split(Path source, String text, double heldoutFraction, List<Document> train,
            List<Document> heldout) {
        int cut = heldoutFraction == 0 ? text.length() : lineStartNear(text, text.length() * (1 - heldoutFraction));
        String head = text.substring(0, cut);
        String tail = text.substring(cut);
        if (head.isBlank() || tail.isBlank()) {
            train.add(new Document(source, text));
            return;
        }
        train.add(new Document(source, head));
        heldout.add(new Document(source, tail));
    }

    /** Index of the start of a line (after a '\n', not at the very end) closest to {@code target}. */
    private static int lineStartNear(String text, double target) {
        int ideal = (int) Math.round(target);
        int before = text.lastIndexOf('\n', Math.max(ideal - 1, 0));
        int after = text.indexOf('\n', Math.max(ideal - 1, 0));
        int best = text.length();
        if (before >= 0 && before + 1 < text.length()) {
            best = before + 1;
        }
        if (after >= 0 && after + 1 < text.length()
                && (best == text.length() || Math.abs(after + 1 - target) < Math.abs(best - target))) {
            best = after + 1;
        }
        return best;
    }
}
