package org.slmworkbench.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slmworkbench.BadInputException;

/**
 * The anomaly labels of one split: which lines of which log file are anomalous, and why. Read
 * from a {@code labels.tsv} with the header {@code file<TAB>line<TAB>kind} and one row per
 * anomalous line (1-based line numbers); lines not listed are normal. The third column may also be
 * called {@code labels}, as in the AIT log data set, where it lists comma-separated labels.
 */
public final class AnomalyLabels {
    static final String HEADER = "file\tline\tkind";
    private static final String AIT_HEADER = "file\tline\tlabels";

    private final Map<String, SortedMap<Integer, String>> kindsByFile;

    private AnomalyLabels(Map<String, SortedMap<Integer, String>> kindsByFile) {
        this.kindsByFile = kindsByFile;
    }

    /** @throws BadInputException naming the file (and line) if it is missing or malformed */
    public static AnomalyLabels load(Path labelsTsv) {
        if (Files.isDirectory(labelsTsv)) {
            throw new BadInputException(labelsTsv, "is a folder; expected a labels.tsv file");
        }
        String[] lines = TextFiles.read(labelsTsv).split("\n", -1);
        String header = stripCr(lines[0]);
        if (!header.equals(HEADER) && !header.equals(AIT_HEADER)) {
            throw new BadInputException(labelsTsv, "line 1: expected the header 'file<TAB>line<TAB>kind', found '"
                    + stripCr(lines[0]).replace("\t", "<TAB>") + "'");
        }
        Map<String, SortedMap<Integer, String>> kindsByFile = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            String row = stripCr(lines[i]);
            if (!row.isBlank()) {
                addRow(labelsTsv, i + 1, row, kindsByFile);
            }
        }
        return new AnomalyLabels(kindsByFile);
    }

    public boolean isAnomalous(String fileName, int line) {
        SortedMap<Integer, String> kinds = kindsByFile.get(fileName);
        return kinds != null && kinds.containsKey(line);
    }

    /** The anomalous line numbers of a file, ascending; empty if it has none or is unknown. */
    public Set<Integer> lines(String fileName) {
        SortedMap<Integer, String> kinds = kindsByFile.get(fileName);
        return kinds == null ? Set.of() : Collections.unmodifiableSortedSet(new TreeSet<>(kinds.keySet()));
    }

    /** The label's kind, e.g. {@code burst}, if the line is anomalous. */
    public Optional<String> kind(String fileName, int line) {
        SortedMap<Integer, String> kinds = kindsByFile.get(fileName);
        return kinds == null ? Optional.empty() : Optional.ofNullable(kinds.get(line));
    }

    /** File names that have at least one label, sorted. */
    public Set<String> files() {
        return Collections.unmodifiableSet(kindsByFile.keySet());
    }

    /** Number of labelled lines over all files. */
    public int size() {
        int total = 0;
        for (SortedMap<Integer, String> kinds : kindsByFile.values()) {
            total += kinds.size();
        }
        return total;
    }

    private static void addRow(Path file, int lineNumber, String row, Map<String, SortedMap<Integer, String>> into) {
        String[] fields = row.split("\t", -1);
        if (fields.length != 3) {
            throw problem(file, lineNumber, "expected 3 tab-separated fields (file, line, kind), found " + fields.length);
        }
        String logFile = fields[0].strip();
        String kind = fields[2].strip();
        if (logFile.isEmpty() || kind.isEmpty()) {
            throw problem(file, lineNumber, "the file name and the kind must not be empty");
        }
        int line;
        try {
            line = Integer.parseInt(fields[1].strip());
        } catch (NumberFormatException e) {
            throw problem(file, lineNumber, "line number '" + fields[1] + "' is not a whole number");
        }
        if (line < 1) {
            throw problem(file, lineNumber, "line number " + line + " must be 1 or more");
        }
        if (into.computeIfAbsent(logFile, f -> new TreeMap<>()).putIfAbsent(line, kind) != null) {
            throw problem(file, lineNumber, logFile + " line " + line + " is labelled twice");
        }
    }

    private static BadInputException problem(Path file, int lineNumber, String problem) {
        return new BadInputException(file, "line " + lineNumber + ": " + problem);
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
