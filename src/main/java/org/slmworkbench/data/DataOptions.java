package org.slmworkbench.data;

import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slmworkbench.BadInputException;

/**
 * How to read dataset files.
 *
 * @param textField the field holding the text in {@code .jsonl} and {@code .json} records
 * @param column the column holding the text in {@code .csv} and {@code .parquet} files; null for
 *     {@code text}, or else the only string column
 * @param extensions empty to read folders as logs ({@code .log}, {@code .txt}, {@code .out} and
 *     extension-less files, each split by lines); otherwise folders are source trees: only files with
 *     these extensions (kept sorted, lower case, without the dot), each file one document
 * @param maxChars reading stops after this many characters in total, so memory stays bounded
 *     however large the files are
 */
public record DataOptions(String textField, String column, Set<String> extensions, long maxChars) {
    /** About 100 MB of text: far more than a small model on a CPU gets through, and a few hundred MB of heap. */
    public static final long DEFAULT_MAX_CHARS = 100_000_000L;
    public static final String DEFAULT_FIELD = "text";
    public static final DataOptions DEFAULTS = new DataOptions(DEFAULT_FIELD, null, Set.of(), DEFAULT_MAX_CHARS);

    public DataOptions {
        if (textField == null || textField.isBlank()) {
            throw new BadInputException("the text field must not be empty");
        }
        if (column != null && column.isBlank()) {
            throw new BadInputException("the column must not be empty");
        }
        if (maxChars < 1) {
            throw new BadInputException("the character cap must be at least 1, got " + maxChars);
        }
        SortedSet<String> normalised = new TreeSet<>();
        for (String extension : extensions) {
            String e = extension.strip().toLowerCase(Locale.ROOT);
            e = e.startsWith(".") ? e.substring(1) : e;
            if (!e.isEmpty()) {
                normalised.add(e);
            }
        }
        extensions = Collections.unmodifiableSortedSet(normalised);
    }

    /** Whether folders are read as source trees (files with the chosen extensions, one document each). */
    public boolean readsSourceTrees() {
        return !extensions.isEmpty();
    }
}
