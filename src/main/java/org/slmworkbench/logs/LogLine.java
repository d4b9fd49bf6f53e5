package org.slmworkbench.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One line of a log as written: the file it came from, its 1-based line number there, its text. */
public record LogLine(String source, int number, String text) {
    /** The lines of one file, numbered from 1. */
    public static List<LogLine> numbered(String source, List<String> texts) {
        List<LogLine> lines = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            lines.add(new LogLine(source, i + 1, texts.get(i)));
        }
        return lines;
    }

    /** The lines of several files by name, file after file. */
    public static List<LogLine> numbered(Map<String, List<String>> files) {
        List<LogLine> lines = new ArrayList<>();
        files.forEach((name, texts) -> lines.addAll(numbered(name, texts)));
        return lines;
    }
}
