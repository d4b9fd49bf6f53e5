package org.slmworkbench.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slmworkbench.BadInputException;

/** The first lines or records of a file, for the dataset picker; only as much of the file is read as is shown. */
final class FilePreview {
    /** Preview lines longer than this are cut, so one huge line cannot flood the UI. */
    private static final int MAX_LINE_CHARS = 2_000;
    private static final String ELLIPSIS = "\u2026";
    private static final String LINE_BREAK = " \u23CE ";

    private FilePreview() {
    }

    static List<String> of(Path file, int n, DataOptions options) {
        if (n < 0) {
            throw new IllegalArgumentException("line count must not be negative: " + n);
        }
        TextFiles.requireReadable(file);
        if (Files.isDirectory(file)) {
            throw new BadInputException(file, "is a folder; pick a file to preview");
        }
        Optional<RowFormat> format = RowFormat.of(file);
        return format.isPresent() ? records(file, format.get(), n, options) : lines(file, n);
    }

    private static List<String> records(Path file, RowFormat format, int n, DataOptions options) {
        List<String> shown = new ArrayList<>();
        try (Records records = format.open(file, options)) {
            String text;
            while (shown.size() < n && (text = records.next()) != null) {
                if (!text.isBlank()) {
                    String oneLine = text.strip().replaceAll("\\s*\\R\\s*", LINE_BREAK);
                    shown.add(oneLine.length() > MAX_LINE_CHARS ? oneLine.substring(0, MAX_LINE_CHARS) + ELLIPSIS : oneLine);
                }
            }
        }
        return shown;
    }

    /** Lines read a character at a time, so an overlong line is cut without being held whole. */
    private static List<String> lines(Path file, int n) {
        List<String> lines = new ArrayList<>(Math.min(n, 1_000));
        try (TextCursor in = new TextCursor(file)) {
            StringBuilder line = new StringBuilder();
            boolean cut = false;
            int c;
            while (lines.size() < n && (c = in.read()) != -1) {
                if (c == '\n') {
                    lines.add(finishLine(line, cut));
                    line.setLength(0);
                    cut = false;
                } else if (line.length() < MAX_LINE_CHARS) {
                    line.append((char) c);
                } else {
                    cut = true;
                }
            }
            if (lines.size() < n && (line.length() > 0 || cut)) {
                lines.add(finishLine(line, cut));
            }
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
}
